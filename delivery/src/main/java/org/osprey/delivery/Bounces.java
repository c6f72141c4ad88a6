package org.osprey.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.osprey.delivery.bounce.DsnComposer;
import org.osprey.delivery.bounce.DsnMessage;
import org.osprey.delivery.bounce.DsnRecipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a sender what became of the message (RFC 3464): composes the bounce or the delay warning, queues it with
 * the null sender {@code <>} (so it is never bounced itself, RFC 5321 §4.5.5) to wherever the sender's address
 * leads — the sender's own INBOX for our users, the outbound queue for others — and hands it to the agent.
 */
public final class Bounces {
    private static final Logger log = LoggerFactory.getLogger(Bounces.class);

    /** A target the message could not reach, with the reason (an RFC 3463 code first). */
    public record Failure(Target target, String reason) {
    }

    private final Outbox outbox;
    private final DsnComposer composer;
    private final Duration maxLifetime;

    public Bounces(Outbox outbox, Clock clock, Duration maxLifetime) {
        this.outbox = outbox;
        this.composer = new DsnComposer(outbox.hostname(), clock);
        this.maxLifetime = maxLifetime;
    }

    /** The agent that delivers the bounces (and everything else the outbox queues); set by the agent itself. */
    void queueTo(DeliveryAgent deliveryAgent) {
        outbox.deliverWith(deliveryAgent);
    }

    /** Queues the report about {@code failures} of {@code original}; delayed: a warning, not a failure. */
    void send(Envelope original, List<Failure> failures, boolean delayed, LocalDelivery.MessageSource message)
            throws IOException {
        List<DsnRecipient> reported = failures.stream()
                .map(f -> new DsnRecipient(f.target().address(), f.target().original(), f.reason())).toList();
        DsnMessage dsn;
        try (InputStream in = message.open()) {
            dsn = delayed
                    ? composer.delay(original, reported,
                            Instant.ofEpochMilli(original.arrivalMillis()).plus(maxLifetime), in)
                    : composer.failure(original, reported, in);
        }
        String id = outbox.queue("", dsn.recipient(), dsn.content(), dsn.smtpUtf8(), dsn.smtpUtf8(),
                delayed ? "delay-warning" : "bounce");
        if (id != null) {
            log.info("{}: sender {} notification: {}", original.id(), delayed ? "delay" : "non-delivery", id);
        }
    }
}

package org.osprey.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.osprey.core.address.AddressException;
import org.osprey.core.address.EmailAddress;
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

    private final Spool spool;
    private final RecipientPolicy recipients;
    private final DsnComposer composer;
    private final String hostname;
    private final Clock clock;
    private final Duration maxLifetime;
    private volatile DeliveryAgent agent;

    public Bounces(Spool spool, RecipientPolicy recipients, String hostname, Clock clock, Duration maxLifetime) {
        this.spool = spool;
        this.recipients = recipients;
        this.composer = new DsnComposer(hostname, clock);
        this.hostname = hostname;
        this.clock = clock;
        this.maxLifetime = maxLifetime;
    }

    /** The agent that delivers the bounces; set by the agent itself. */
    void queueTo(DeliveryAgent deliveryAgent) {
        this.agent = deliveryAgent;
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
        EmailAddress to;
        try {
            to = EmailAddress.parse(dsn.recipient());
        } catch (AddressException e) {
            log.warn("{}: no {} sent: the sender <{}> is not a usable address", original.id(),
                    delayed ? "delay warning" : "bounce", original.sender());
            return;
        }
        byte[] content = dsn.content();
        List<Target> targets = switch (recipients.check(to, true, content.length)) {
            case RecipientCheck.Accepted a -> a.targets();
            case RecipientCheck.OverQuota o -> List.of(new Target(Target.Kind.LOCAL, o.mailbox(), to.toString()));
            case RecipientCheck.Unavailable u -> throw new IOException("directory unavailable: " + u.reason());
            default -> List.of();
        };
        if (targets.isEmpty()) {
            log.info("{}: no {} sent: the sender <{}> does not exist here", original.id(),
                    delayed ? "delay warning" : "bounce", to);
            return;
        }
        String id = QueueId.next();
        var envelope = new Envelope(id, clock.millis(), "", List.of(to.toString()), targets, "127.0.0.1", hostname,
                "local", dsn.smtpUtf8(), dsn.smtpUtf8() ? "8BITMIME" : "7BIT", List.of(), content.length);
        spool.enqueue(envelope, content);
        log.info("{}: sender {} notification: {}", original.id(), delayed ? "delay" : "non-delivery", id);
        DeliveryAgent deliveryAgent = agent;
        if (deliveryAgent != null) {
            deliveryAgent.submit(envelope);
        }
    }
}

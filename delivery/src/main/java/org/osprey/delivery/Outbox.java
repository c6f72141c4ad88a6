package org.osprey.delivery;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.osprey.core.address.AddressException;
import org.osprey.core.address.EmailAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mail that Osprey writes itself — bounces, Sieve redirects, vacation replies, rejections — goes into the spool
 * like received mail and is handed to the agent: to wherever the recipient leads (a local mailbox, or the
 * outbound queue). Committed and fsync'd before this returns, so nothing is lost in a crash.
 */
public final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final Spool spool;
    private final RecipientPolicy recipients;
    private final String hostname;
    private final Clock clock;
    private volatile DeliveryAgent agent;

    public Outbox(Spool spool, RecipientPolicy recipients, String hostname, Clock clock) {
        this.spool = spool;
        this.recipients = recipients;
        this.hostname = hostname;
        this.clock = clock;
    }

    /** The agent that delivers what is queued here; set by the agent itself. */
    void deliverWith(DeliveryAgent deliveryAgent) {
        this.agent = deliveryAgent;
    }

    public String hostname() {
        return hostname;
    }

    /**
     * Queues {@code message} (CRLF, complete) from {@code sender} ("" for the null sender) to {@code recipient}.
     * Returns the queue id, or null when the recipient leads nowhere (an unknown local address: logged).
     *
     * @param protocol what made it, for the log and `queue show` ("bounce", "sieve-redirect", ...)
     */
    public String queue(String sender, String recipient, byte[] message, boolean smtpUtf8, boolean eightBit,
                        String protocol) throws IOException {
        EmailAddress to;
        try {
            to = EmailAddress.parse(recipient);
        } catch (AddressException e) {
            log.warn("not sent ({}): <{}> is not a usable address", protocol, recipient);
            return null;
        }
        List<Target> targets = switch (recipients.check(to, true, message.length)) {
            case RecipientCheck.Accepted a -> a.targets();
            case RecipientCheck.OverQuota o -> List.of(new Target(Target.Kind.LOCAL, o.mailbox(), to.toString()));
            case RecipientCheck.Unavailable u -> throw new IOException("directory unavailable: " + u.reason());
            default -> List.of();
        };
        if (targets.isEmpty()) {
            log.info("not sent ({}): <{}> does not exist here", protocol, to);
            return null;
        }
        String id = QueueId.next();
        var envelope = new Envelope(id, clock.millis(), sender, List.of(to.toString()), targets, "127.0.0.1",
                hostname, protocol, smtpUtf8, eightBit || smtpUtf8 ? "8BITMIME" : "7BIT", List.of(),
                message.length);
        spool.enqueue(envelope, message);
        log.info("{}: from=<{}>, to=<{}>, size={} ({})", id, sender, to, message.length, protocol);
        DeliveryAgent deliveryAgent = agent;
        if (deliveryAgent != null) {
            deliveryAgent.submit(envelope);
        }
        return id;
    }
}

package org.osprey.delivery.remote;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.james.mime4j.MimeException;
import org.osprey.core.address.AddressException;
import org.osprey.delivery.DeliveryResult;
import org.osprey.delivery.Envelope;
import org.osprey.delivery.LocalDelivery.MessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mail transaction on an open session (RFC 5321 §3.3): MAIL FROM, one RCPT TO per recipient, DATA and the
 * message, dot-stuffed as it streams from the spool. With PIPELINING the MAIL, RCPT and DATA commands go in one
 * write and the replies are read in order (RFC 2920 §3.1). Each recipient gets the reply to its RCPT, and the
 * accepted ones the reply to DATA or to the final dot (RFC 5321 §3.3: that reply is for all of them).
 *
 * <p>Recipients the peer never answered for, because the connection broke before the final dot or MAIL got a 4xx,
 * come back as {@link Outcome#retry()} for the next peer. Once the dot is sent they are never retried: the message
 * may have been delivered (RFC 1047).
 */
final class Transaction {
    private static final Logger log = LoggerFactory.getLogger(Transaction.class);

    /**
     * @param results     final results for this attempt, by recipient as given
     * @param retry       recipients for the next peer, with {@code retryReason} if there is none
     * @param reusable    the session is in step and may carry another transaction
     */
    record Outcome(Map<String, DeliveryResult> results, List<Recipient> retry, String retryReason,
                   boolean reusable) {
    }

    /** Reading the message from the spool failed: our problem, not the peer's. */
    private static final class MessageReadException extends IOException {
        @Serial
        private static final long serialVersionUID = 1L;

        MessageReadException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final SmtpClient client;
    private final SmtpTimeouts timeouts;
    private final Envelope envelope;
    private final MessageSource message;
    private final Peer peer;
    private final Map<String, DeliveryResult> results = new LinkedHashMap<>();

    private Transaction(SmtpClient client, SmtpTimeouts timeouts, Envelope envelope, MessageSource message) {
        this.client = client;
        this.timeouts = timeouts;
        this.envelope = envelope;
        this.message = message;
        this.peer = client.peer();
    }

    static Outcome run(SmtpClient client, SmtpTimeouts timeouts, Envelope envelope, List<Recipient> recipients,
                       MessageSource message) {
        return new Transaction(client, timeouts, envelope, message).run(recipients);
    }

    private Outcome run(List<Recipient> recipients) {
        Extensions offered = client.extensions();
        String sender;
        try {
            sender = Recipient.path(envelope.sender());
        } catch (AddressException e) {
            sender = envelope.sender(); // our own server took it; the peer may judge it
        }
        boolean utf8 = envelope.smtpUtf8() || !Recipient.isAscii(sender)
            || recipients.stream().anyMatch(Recipient::needsUtf8);
        if (utf8 && !offered.smtpUtf8()) {
            // RFC 6531 §3.4: a message that needs SMTPUTF8 is not to be downgraded, but returned
            return failAll(recipients, "5.6.7 SMTPUTF8 is required, but was not offered by host " + peer.label());
        }
        if (offered.size() > 0 && envelope.size() > offered.size()) {
            return failAll(recipients, "5.3.4 message size " + envelope.size() + " exceeds size limit "
                + offered.size() + " of server " + peer.label());
        }
        boolean eightBit = "8BITMIME".equalsIgnoreCase(envelope.body());
        MimeDowngrade.Scan downgrade = null;
        if (eightBit && !offered.eightBitMime()) {
            try (InputStream in = open()) {
                MimeDowngrade.Scan scan = MimeDowngrade.scan(in);
                downgrade = scan.clean() ? null : scan;
            } catch (MimeException e) {
                log.warn("cannot parse the MIME structure of {} to convert it to 7 bits; sending it as it is: {}",
                    envelope.id(), e.getMessage());
            } catch (IOException e) {
                return deferAll(recipients, "4.3.0 cannot read the queued message: " + Reasons.message(e));
            }
        }
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(sender).append('>');
        if (offered.size() >= 0) {
            mail.append(" SIZE=").append(envelope.size()); // RFC 1870 §6: our best estimate
        }
        if (eightBit && offered.eightBitMime()) {
            mail.append(" BODY=8BITMIME"); // RFC 6152 §3
        }
        if (utf8) {
            mail.append(" SMTPUTF8"); // RFC 6531 §3.4
        }
        return send(mail.toString(), recipients, downgrade);
    }

    private Outcome send(String mail, List<Recipient> recipients, MimeDowngrade.Scan downgrade) {
        List<Recipient> accepted = new ArrayList<>();
        boolean reusable = true;
        boolean dotSent = false;
        String during = "sending MAIL FROM";
        try {
            Reply mailReply;
            List<Reply> rcptReplies = new ArrayList<>();
            Reply dataReply = null;
            if (client.extensions().pipelining()) {
                client.write(mail, timeouts.mail());
                for (Recipient r : recipients) {
                    client.write("RCPT TO:<" + r.path() + ">", timeouts.rcpt());
                }
                client.write("DATA", timeouts.dataInit());
                client.flush(timeouts.mail());
                mailReply = client.read(timeouts.mail());
                during = "sending RCPT TO";
                for (int i = 0; i < recipients.size(); i++) {
                    rcptReplies.add(client.read(timeouts.rcpt()));
                }
                during = "sending DATA";
                dataReply = client.read(timeouts.dataInit());
            } else {
                mailReply = client.command(mail, timeouts.mail());
                if (mailReply.positive()) {
                    during = "sending RCPT TO";
                    for (Recipient r : recipients) {
                        rcptReplies.add(client.command("RCPT TO:<" + r.path() + ">", timeouts.rcpt()));
                    }
                }
            }
            reusable = mailReply.code() != 421;
            if (!mailReply.positive()) {
                // pipelined: the RCPT and DATA replies were read only to stay in step
                closeStrayData(dataReply);
                if (mailReply.permanent()) {
                    return failAll(recipients, Reasons.said(peer, mailReply, "MAIL FROM"));
                }
                // a 4xx to MAIL speaks for this host, not the recipients: the next peer gets them all
                return new Outcome(results, recipients, Reasons.said(peer, mailReply, "MAIL FROM"), reusable);
            }
            for (int i = 0; i < recipients.size(); i++) {
                Reply reply = rcptReplies.get(i);
                reusable &= reply.code() != 421;
                if (reply.positive()) {
                    accepted.add(recipients.get(i));
                } else {
                    results.put(recipients.get(i).given(), Reasons.result(peer, reply, "RCPT TO"));
                }
            }
            if (accepted.isEmpty()) {
                closeStrayData(dataReply);
                return new Outcome(results, List.of(), null, reusable);
            }
            if (dataReply == null) {
                during = "sending DATA";
                dataReply = client.command("DATA", timeouts.dataInit());
            }
            if (dataReply.code() != 354) {
                for (Recipient r : accepted) {
                    results.put(r.given(), Reasons.result(peer, dataReply, "DATA"));
                }
                return new Outcome(results, List.of(), null, reusable && dataReply.code() != 421);
            }
            during = "sending message body";
            DotStuffingOutputStream body = new DotStuffingOutputStream(client.data(timeouts.dataBlock()));
            try (InputStream in = open()) {
                if (downgrade != null) {
                    MimeDowngrade.write(in, downgrade, body);
                } else {
                    byte[] buffer = new byte[32 * 1024];
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        body.write(buffer, 0, n);
                    }
                }
            }
            during = "sending end of data";
            body.finish();
            dotSent = true;
            Reply done = client.read(timeouts.dataDone());
            client.countTransaction();
            for (Recipient r : accepted) {
                results.put(r.given(), done.positive()
                    ? new DeliveryResult.Delivered("relay=" + peer + ", tls=" + client.tlsDescription() + ", "
                        + done.text())
                    : Reasons.result(peer, done, "end of DATA"));
            }
            log.debug("{} to {}: {} recipient(s), {}", envelope.id(), peer, accepted.size(), done.text());
            return new Outcome(results, List.of(), null, reusable && done.code() != 421);
        } catch (IOException e) {
            client.close();
            List<Recipient> open = recipients.stream().filter(r -> !results.containsKey(r.given())).toList();
            if (isMessageRead(e)) {
                return deferAll(open, "4.3.0 cannot read the queued message: " + Reasons.message(e), false);
            }
            if (dotSent) {
                // the peer may have taken the message; trying another host could deliver it twice
                return deferAll(open, Reasons.broken(peer, e, "sending end of data -- message may be sent more"
                    + " than once"), false);
            }
            log.debug("{}: {}", peer, Reasons.broken(peer, e, during));
            return new Outcome(results, open, Reasons.broken(peer, e, during), false);
        }
    }

    /** A server that said 354 to a pipelined DATA although no recipient was accepted gets an empty message. */
    private void closeStrayData(Reply dataReply) throws IOException {
        if (dataReply != null && dataReply.code() == 354) {
            client.write(".", timeouts.dataDone());
            client.flush(timeouts.dataDone());
            client.read(timeouts.dataDone());
        }
    }

    private InputStream open() throws IOException {
        try {
            return new SpoolStream(message.open());
        } catch (IOException e) {
            throw new MessageReadException(e);
        }
    }

    private static boolean isMessageRead(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MessageReadException) {
                return true;
            }
        }
        return false;
    }

    private Outcome failAll(List<Recipient> recipients, String reason) {
        for (Recipient r : recipients) {
            results.put(r.given(), new DeliveryResult.Failed(reason));
        }
        return new Outcome(results, List.of(), null, true);
    }

    private Outcome deferAll(List<Recipient> recipients, String reason) {
        return deferAll(recipients, reason, true);
    }

    private Outcome deferAll(List<Recipient> recipients, String reason, boolean reusable) {
        for (Recipient r : recipients) {
            results.put(r.given(), new DeliveryResult.Deferred(reason));
        }
        return new Outcome(results, List.of(), null, reusable);
    }

    /** Marks the spool's read errors, so that they are not taken for the peer's. */
    private static final class SpoolStream extends FilterInputStream {
        SpoolStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw new MessageReadException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw new MessageReadException(e);
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // everything needed was read
            }
        }
    }
}

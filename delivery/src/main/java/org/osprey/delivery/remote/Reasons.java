package org.osprey.delivery.remote;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.osprey.delivery.DeliveryResult;

/**
 * The wording of delivery reasons, close to Postfix's so that people and log tools recognise them. Every reason
 * starts with an RFC 3463 enhanced status code (as LocalDelivery's do), so a bounce can quote it; a remote
 * server's own reply follows in full, with its code.
 */
final class Reasons {
    private Reasons() {
    }

    /** "5.1.1 host mx.example.net[192.0.2.1] said: 550 5.1.1 &lt;a@b&gt;: user unknown (in reply to RCPT TO command)". */
    static String said(Peer peer, Reply reply, String command) {
        return reply.status() + " host " + peer.label() + " said: " + reply.text() + " (in reply to " + command
            + " command)";
    }

    /** A 5xx reply fails the recipient; any other non-2xx defers it. */
    static DeliveryResult result(Peer peer, Reply reply, String command) {
        String reason = said(peer, reply, command);
        return reply.permanent() ? new DeliveryResult.Failed(reason) : new DeliveryResult.Deferred(reason);
    }

    /** "4.4.2 lost connection with mx[ip] while sending RCPT TO", or "... timed out ...", or the I/O error. */
    static String broken(Peer peer, IOException e, String during) {
        if (e instanceof SocketTimeoutException) {
            return "4.4.2 conversation with " + peer.label() + " timed out while " + during;
        }
        if (e instanceof EOFException || e instanceof SocketException) {
            return "4.4.2 lost connection with " + peer.label() + " while " + during;
        }
        if (e instanceof SmtpProtocolException) {
            return "4.5.0 protocol error with " + peer.label() + " while " + during + ": " + Reply.clean(message(e));
        }
        return "4.4.2 error talking to " + peer.label() + " while " + during + ": " + Reply.clean(message(e));
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip().replaceAll("\\s+", " ");
    }
}

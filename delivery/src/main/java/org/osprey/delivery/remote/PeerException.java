package org.osprey.delivery.remote;

import java.io.Serial;
import org.osprey.delivery.DeliveryResult;

/**
 * A peer could not be used for this delivery. Carries what the recipients get if no other peer does better
 * ({@link #result()}), and whether another peer is worth trying: yes after a refused connection, a timeout, a 4xx
 * greeting or EHLO, a TLS failure; no after a 5xx to HELO, which speaks for the whole destination.
 */
final class PeerException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    private final boolean permanent;
    private final boolean tryNext;
    private final boolean greeted;
    private final boolean tlsHandshake;

    private PeerException(String reason, boolean permanent, boolean tryNext, boolean greeted, boolean tlsHandshake) {
        super(reason, null, false, false);
        this.permanent = permanent;
        this.tryNext = tryNext;
        this.greeted = greeted;
        this.tlsHandshake = tlsHandshake;
    }

    /** Try the next peer; the mail is deferred if none does better. */
    static PeerException next(String reason, boolean greeted) {
        return new PeerException(reason, false, true, greeted, false);
    }

    /** The TLS handshake failed after STARTTLS: under opportunistic TLS, this peer is tried again in clear text. */
    static PeerException tlsHandshake(String reason) {
        return new PeerException(reason, false, true, true, true);
    }

    /** The destination said no for good (5xx): no other peer is tried. */
    static PeerException fatal(String reason) {
        return new PeerException(reason, true, false, true, false);
    }

    String reason() {
        return getMessage();
    }

    boolean tryNext() {
        return tryNext;
    }

    /** The peer greeted us: the attempt counts against the session limit (Postfix's smtp_mx_session_limit). */
    boolean greeted() {
        return greeted;
    }

    boolean tlsHandshakeFailed() {
        return tlsHandshake;
    }

    DeliveryResult result() {
        return permanent ? new DeliveryResult.Failed(reason()) : new DeliveryResult.Deferred(reason());
    }
}

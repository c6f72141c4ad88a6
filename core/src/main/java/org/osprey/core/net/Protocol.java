package org.osprey.core.net;

import java.io.IOException;
import java.time.Duration;

/**
 * What a protocol module (SMTP, IMAP, POP3, ManageSieve) gives the connection base: the session itself, and the
 * few replies the base sends on the protocol's behalf, so that limits, timeouts and shutdown are handled the same
 * way for every protocol, in one place.
 */
public interface Protocol {

    /** Short name for log lines: "smtp", "imap". */
    String name();

    /** Runs one whole session on an open (and, for implicit TLS, already encrypted) connection. */
    void serve(Connection connection) throws IOException;

    /** The reply to a client over the connection limits, e.g. "421 4.7.0 Too many connections\r\n". */
    String tooManyConnectionsReply();

    /** Sent before closing an idle connection, e.g. "421 4.4.2 Idle timeout\r\n". */
    String timeoutReply();

    /** Sent when a line was over {@link #maxLineLength()}; the session goes on with the next line. */
    String lineTooLongReply();

    /** Sent before closing a client that sent too many lines the base refused (see {@link #maxFramingErrors()}). */
    String tooManyErrorsReply();

    /** How many refused (overlong) lines a client may send before it is disconnected. */
    int maxFramingErrors();

    /** Sent to sessions still open when the grace period of a shutdown is over. */
    String shutdownReply();

    /** How long a client may send nothing before it is disconnected. */
    Duration idleTimeout();

    /** The longest command line accepted, without CRLF. */
    int maxLineLength();

    /**
     * How many sessions of this listener may run on platform threads instead of virtual ones; the rest get
     * virtual threads. For protocols whose clients wait for every reply before the next command (a POP3 RETR
     * loop), the hand-off of a virtual thread from the socket poller to a carrier costs more per command than
     * the work itself; a bounded number of platform threads avoids it without giving up cheap idle connections.
     */
    default int platformThreadLimit() {
        return 0;
    }
}

package org.osprey.delivery.remote;

import java.time.Duration;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * How long the client waits at each step of a session. The defaults are the minimums of RFC 5321 §4.5.3.2 (which
 * Postfix's smtp_*_timeout defaults also follow); the connect, RSET and QUIT limits are Postfix's or shorter,
 * since RFC 5321 sets none and a delivery thread should not hang on a peer that will not say goodbye.
 *
 * @param connect   TCP connect (Postfix smtp_connect_timeout)
 * @param greeting  the 220 greeting, §4.5.3.2.1: 5 minutes
 * @param helo      EHLO/HELO, STARTTLS and AUTH replies
 * @param mail      MAIL FROM, §4.5.3.2.2: 5 minutes
 * @param rcpt      each RCPT TO, §4.5.3.2.3: 5 minutes
 * @param dataInit  the 354 reply to DATA, §4.5.3.2.4: 2 minutes
 * @param dataBlock each write of message data, §4.5.3.2.5: 3 minutes
 * @param dataDone  the reply to the final ".", §4.5.3.2.6: 10 minutes
 * @param rset      RSET before a cached connection is used again
 * @param quit      the reply to QUIT (only waited for out of politeness)
 */
public record SmtpTimeouts(Duration connect, Duration greeting, Duration helo, Duration mail, Duration rcpt,
                           Duration dataInit, Duration dataBlock, Duration dataDone, Duration rset, Duration quit) {

    public static final SmtpTimeouts RFC_5321 = new SmtpTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(5),
        Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(2),
        Duration.ofMinutes(3), Duration.ofMinutes(10), Duration.ofSeconds(20), Duration.ofSeconds(10));

    public SmtpTimeouts {
        Stream.of(connect, greeting, helo, mail, rcpt, dataInit, dataBlock, dataDone, rset, quit).forEach(d -> {
            Objects.requireNonNull(d, "timeout");
            if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("SMTP client timeouts must be positive and under 24 days: " + d);
            }
        });
    }

    /** The same limit everywhere: for tests, and for a config that has only one knob. */
    public static SmtpTimeouts all(Duration timeout) {
        return new SmtpTimeouts(timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout,
            timeout);
    }
}

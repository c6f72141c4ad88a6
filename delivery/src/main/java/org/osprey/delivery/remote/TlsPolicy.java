package org.osprey.delivery.remote;

import java.util.Locale;

/**
 * How much TLS a destination gets, as Postfix's smtp_tls_security_level. Whatever the policy, a route with AUTH
 * credentials is never sent a password in clear text: it is treated as at least {@link #REQUIRED}.
 */
public enum TlsPolicy {
    /** Never STARTTLS (Postfix "none"): for a peer whose TLS is known to be broken. */
    NONE,
    /**
     * STARTTLS when the peer offers it, any certificate accepted (RFC 3207 §4.1 lets a client go on in clear text).
     * When the handshake fails, the same host is tried again in clear text, as Postfix's "may" does; a man in the
     * middle can force clear text, which is the accepted price of opportunistic TLS (RFC 7435).
     */
    OPPORTUNISTIC,
    /** TLS or nothing (Postfix "encrypt"); any certificate is accepted. Without it the mail is deferred (4.7.5). */
    REQUIRED,
    /**
     * TLS with the certificate chain checked against the trust store and the name checked against the MX host name
     * or the route's host (Postfix "secure"). A failure defers the mail (4.7.5).
     */
    VERIFIED;

    boolean mandatory() {
        return this == REQUIRED || this == VERIFIED;
    }

    /**
     * Reads a policy name as written in the config: our names, or Postfix's level names for those who bring their
     * smtp_tls_policy_maps along ("may", "encrypt", "verify", "secure").
     *
     * @throws IllegalArgumentException the name is none of these; the message lists the accepted ones
     */
    public static TlsPolicy parse(String text) {
        String name = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "none" -> NONE;
            case "opportunistic", "may" -> OPPORTUNISTIC;
            case "required", "encrypt" -> REQUIRED;
            case "verified", "verify", "secure" -> VERIFIED;
            default -> throw new IllegalArgumentException("unknown TLS policy \"" + text
                + "\": use none, opportunistic, required or verified");
        };
    }
}

package org.osprey.smtp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.osprey.core.net.TlsInfo;

/**
 * Builds Osprey's Received header (RFC 5321 §4.4) in Postfix's layout, with the protocol keyword of RFC 3848 and
 * RFC 6531 (ESMTP, ESMTPS, ESMTPSA, UTF8SMTPS, ...), the TLS version and cipher when TLS was used, and the
 * recipient only when there is exactly one (more would disclose the other recipients).
 */
final class ReceivedHeader {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

    private ReceivedHeader() {
    }

    static String build(String helo, InetAddress client, Optional<TlsInfo> tls, boolean authenticated,
                        boolean extended, boolean smtpUtf8, String hostname, String queueId,
                        Optional<String> singleRecipient, ZonedDateTime now) {
        StringBuilder h = new StringBuilder("Received: from ").append(clean(helo)).append(" (")
                .append(addressLiteral(client)).append(")\r\n");
        tls.ifPresent(t -> h.append("\t(using ").append(t.protocol()).append(" with cipher ")
                .append(t.cipherSuite()).append(")\r\n"));
        h.append("\tby ").append(hostname).append(" (Osprey) with ")
                .append(protocol(extended, smtpUtf8, tls.isPresent(), authenticated))
                .append(" id ").append(queueId);
        singleRecipient.ifPresent(r -> h.append("\r\n\tfor <").append(clean(r)).append(">"));
        h.append("; ").append(DATE.format(now)).append("\r\n");
        return h.toString();
    }

    /**
     * The Received header of an authenticated submission that hides where the user was (RFC 6409 §8 leaves the
     * client's address out to the submission server's policy; Osprey keeps it out unless configured).
     */
    static String buildHidingClient(Optional<TlsInfo> tls, boolean smtpUtf8, String hostname, String queueId,
                                    Optional<String> singleRecipient, ZonedDateTime now) {
        StringBuilder h = new StringBuilder("Received: by ").append(hostname).append(" (Osprey) with ")
                .append(protocol(true, smtpUtf8, tls.isPresent(), true)).append(" id ").append(queueId);
        singleRecipient.ifPresent(r -> h.append("\r\n\tfor <").append(clean(r)).append(">"));
        h.append("; ").append(DATE.format(now)).append("\r\n");
        return h.toString();
    }

    /** An RFC 5322 date-time, as in Date: headers. */
    static String date(ZonedDateTime time) {
        return DATE.format(time);
    }

    static String protocol(boolean extended, boolean smtpUtf8, boolean tls, boolean authenticated) {
        if (!extended) {
            return "SMTP";
        }
        return (smtpUtf8 ? "UTF8SMTP" : "ESMTP") + (tls ? "S" : "") + (authenticated ? "A" : "");
    }

    static String addressLiteral(InetAddress address) {
        return address instanceof Inet6Address ? "[IPv6:" + address.getHostAddress() + "]"
                : "[" + address.getHostAddress() + "]";
    }

    /** Client-supplied text in a header: printable, no line breaks, bounded. */
    static String clean(String text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length() && sb.length() < 255; i++) {
            char c = text.charAt(i);
            sb.append(c < 0x20 || c == 0x7f || c == '(' || c == ')' ? '?' : c);
        }
        return sb.toString();
    }
}

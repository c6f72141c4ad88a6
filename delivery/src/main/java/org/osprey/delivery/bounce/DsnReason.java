package org.osprey.delivery.bounce;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the machine-readable parts out of a delivery reason string ("5.1.1 host mx.example.net[192.0.2.1] said: 550
 * 5.1.1 user unknown (in reply to RCPT TO command)"): the RFC 3463 status code, the remote server's reply for
 * Diagnostic-Code, and the remote host for Remote-MTA. Pure functions; anything it cannot find gets a default.
 */
final class DsnReason {
    /** An enhanced status code at the start of the reason, as every delivery agent of ours writes one. */
    private static final Pattern LEADING_STATUS = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.])");
    /** A bare SMTP reply code at the start ("550 no such user"). */
    private static final Pattern LEADING_REPLY = Pattern.compile("^([245])\\d\\d(?:[ -]|$)");
    /** An enhanced status code anywhere, not inside a longer dotted number such as an IPv4 address. */
    private static final Pattern ANY_STATUS = Pattern.compile("(?<![\\d.])([245])\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.])");
    private static final Pattern SAID = Pattern.compile(" said: (.*?)(?: \\(in reply to [^)]*\\))?$");
    private static final Pattern HOST = Pattern.compile("(?:host|with) ([A-Za-z0-9.-]+)\\[[^\\]]*\\]");

    private DsnReason() {
    }

    /**
     * The Status field (RFC 3464 §2.3.4): the reason's enhanced code, else one made from its reply code, else
     * 5.0.0 for a failure and 4.0.0 for a delay. A failure keeps a 4.x.x code, as after a message expired in the
     * queue on temporary errors (the code says what the last attempt met; Postfix does the same); a delay is
     * always class 4.
     */
    static String status(String reason, boolean delayed) {
        String text = reason.strip();
        String klass;
        String rest;
        Matcher m = LEADING_STATUS.matcher(text);
        if (m.find() || (m = ANY_STATUS.matcher(text)).find()) {
            klass = m.group(1);
            rest = "." + Integer.parseInt(m.group(2)) + "." + Integer.parseInt(m.group(3));
        } else if ((m = LEADING_REPLY.matcher(text)).find()) {
            klass = m.group(1);
            rest = ".0.0";
        } else {
            klass = delayed ? "4" : "5";
            rest = ".0.0";
        }
        if (delayed) {
            klass = "4";
        } else if (klass.equals("2")) {
            klass = "5";
        }
        return klass + rest;
    }

    /**
     * The Diagnostic-Code field's value (RFC 3464 §2.3.6): "smtp; " and the remote server's reply when the reason
     * quotes one ("... said: 550 ..."), otherwise our own text under the "X-Osprey" type.
     */
    static String diagnosticCode(String reason) {
        Matcher said = SAID.matcher(reason.strip());
        if (said.find() && !said.group(1).isBlank()) {
            return "smtp; " + said.group(1).strip();
        }
        return "X-Osprey; " + text(reason);
    }

    /** The host named in the reason ("host mx.example.net[192.0.2.1] said", "lost connection with mx[...]"). */
    static Optional<String> remoteMta(String reason) {
        Matcher m = HOST.matcher(reason);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The reason for people: without its leading status code, which the report carries in its own field. */
    static String text(String reason) {
        String text = reason.strip();
        Matcher m = LEADING_STATUS.matcher(text);
        if (m.find()) {
            text = text.substring(m.end()).strip();
        }
        return text.isEmpty() ? "delivery failed" : text;
    }
}

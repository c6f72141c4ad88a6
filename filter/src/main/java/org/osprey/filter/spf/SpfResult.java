package org.osprey.filter.spf;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * The outcome of one SPF check (RFC 7208 §2.6) with what it was about, and the two ways it is written into a
 * message: the Received-SPF header field (§9.1) and the "spf=" part of Authentication-Results (RFC 8601 §2.7.2).
 * Everything a client chose (HELO, MAIL FROM) is cleaned of control characters and quoted before it goes into a
 * header, so a hostile HELO cannot add header lines.
 *
 * @param code        the result
 * @param explanation a human-readable reason; for "fail" the domain's own exp= text when it gave one
 * @param client      the connecting address that was checked
 * @param sender      the identity checked, "postmaster@helo" when MAIL FROM was empty
 * @param identity    "mailfrom" or "helo" (§9.1)
 * @param helo        the HELO/EHLO name as given
 * @param mechanism   the term that decided, when one did
 */
public record SpfResult(Code code, String explanation, InetAddress client, String sender, String identity,
                        String helo, Optional<String> mechanism) {

    /** RFC 7208 §2.6; {@link #keyword()} is the lowercase name used in headers. */
    public enum Code {
        NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The whole header field, without the final CRLF: {@code Received-SPF: pass (...) client-ip=...; ...}. */
    public String receivedSpf(String receiver) {
        var s = new StringBuilder("Received-SPF: ").append(code.keyword());
        s.append(" (").append(comment(clean(receiver))).append(") ");
        s.append("client-ip=").append(SpfMacro.readable(client)).append(';');
        if ("mailfrom".equals(identity)) {
            s.append(" envelope-from=").append(quoted(sender)).append(';');
        }
        s.append(" helo=").append(value(helo)).append(';');
        mechanism.ifPresent(m -> s.append(" mechanism=").append(value(m)).append(';'));
        if (code == Code.PERMERROR || code == Code.TEMPERROR) {
            s.append(" problem=").append(quoted(explanation)).append(';');
        }
        s.append(" receiver=").append(value(receiver)).append(';');
        s.append(" identity=").append(identity).append(';');
        return s.toString();
    }

    /** The RFC 8601 method result, e.g. {@code spf=pass smtp.mailfrom=user@example.com}. */
    public String authenticationResults() {
        return "mailfrom".equals(identity)
            ? "spf=" + code.keyword() + " smtp.mailfrom=" + value(sender)
            : "spf=" + code.keyword() + " smtp.helo=" + value(helo);
    }

    private String comment(String receiver) {
        String ip = SpfMacro.readable(client);
        String who = "domain of " + clean(sender);
        String text = switch (code) {
            case PASS -> who + " designates " + ip + " as permitted sender";
            case FAIL -> who + " does not designate " + ip + " as permitted sender";
            case SOFTFAIL -> who + " does not designate " + ip + " as permitted sender (softfail)";
            case NEUTRAL -> ip + " is neither permitted nor denied by " + who;
            case NONE -> who + " does not publish SPF";
            case TEMPERROR -> "temporary error checking " + who;
            case PERMERROR -> "permanent error in the SPF record of " + who;
        };
        // a comment may not hold unbalanced parentheses or backslashes
        return (receiver + ": " + text).replaceAll("[()\\\\]", "");
    }

    private static String clean(String text) {
        var s = new StringBuilder();
        for (char c : (text == null ? "" : text).toCharArray()) {
            s.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return s.toString();
    }

    /** A dot-atom stays as it is; anything else becomes a quoted-string. */
    static String value(String text) {
        String c = clean(text);
        return c.matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.@-]+") && !c.startsWith(".") && !c.endsWith(".")
            && !c.contains("..") ? c : quoted(c);
    }

    private static String quoted(String text) {
        return '"' + clean(text).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public String toString() {
        return code.keyword() + " (" + explanation + ")";
    }
}

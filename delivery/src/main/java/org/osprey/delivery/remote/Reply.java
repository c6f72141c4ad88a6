package org.osprey.delivery.remote;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server reply (RFC 5321 §4.2): the three-digit code and the text of each line, without the code and separator.
 * {@link #status()} is the RFC 3463 enhanced status code the reply gave, made to agree with the reply's class, or
 * X.0.0 when it gave none (as Postfix does), so every reason we write starts with one.
 */
record Reply(int code, List<String> lines) {
    private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s+|$)");
    /** Reasons end up in logs, state files and bounces; a hostile server should not fill them. */
    private static final int MAX_TEXT = 1000;

    Reply {
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
    }

    boolean positive() {
        return code >= 200 && code < 300;
    }

    /** 5xx: the command will never succeed. Anything else that is not 2xx (4xx, or a code out of place) may. */
    boolean permanent() {
        return code >= 500 && code < 600;
    }

    /** "5.1.1": the reply's own enhanced code with its class set from the reply code, or "5.0.0"/"4.0.0". */
    String status() {
        char klass = permanent() ? '5' : positive() ? '2' : '4';
        Matcher m = ENHANCED.matcher(lines.getFirst());
        if (m.find()) {
            return klass + "." + m.group(2) + "." + m.group(3);
        }
        return klass + ".0.0";
    }

    /**
     * The reply on one line for logs and reasons: "550 5.1.1 first line second line". Continuation lines lose their
     * repeated enhanced code; control characters become '?', and very long texts are cut.
     */
    String text() {
        StringBuilder sb = new StringBuilder().append(code);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i > 0) {
                Matcher m = ENHANCED.matcher(line);
                if (m.find()) {
                    line = line.substring(m.end());
                }
            }
            if (!line.isBlank()) {
                sb.append(' ').append(line.strip());
            }
            if (sb.length() > MAX_TEXT) {
                break;
            }
        }
        return clean(sb.length() > MAX_TEXT ? sb.substring(0, MAX_TEXT) + "..." : sb.toString());
    }

    static String clean(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? '?' : c);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text();
    }
}

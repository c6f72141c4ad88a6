package org.osprey.sieve.managesieve;

import java.nio.charset.StandardCharsets;

/**
 * Encodes server responses (RFC 5804 §4): strings go out as quoted strings when they can (no CR, LF or NUL, at most
 * 1024 octets) and as {@code {n}} literals otherwise, so nothing a client or a script put into a string can end a
 * response line early and forge the next one.
 */
final class Responses {
    /** RFC 5804 §4: a quoted string holds at most 1024 octets. */
    static final int MAX_QUOTED = 1024;

    private Responses() {
    }

    /** A string in the form a client parses back to exactly {@code s}. */
    static String string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        boolean quotable = bytes.length <= MAX_QUOTED;
        for (int i = 0; i < s.length() && quotable; i++) {
            char c = s.charAt(i);
            quotable = c != '\r' && c != '\n' && c != 0;
        }
        if (!quotable) {
            return "{" + bytes.length + "}\r\n" + s;
        }
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    /** {@code OK}, {@code NO} or {@code BYE} with an optional code and text, CRLF-terminated. */
    static String line(String status, ResponseCode code, String text) {
        StringBuilder out = new StringBuilder(status);
        if (code != null) {
            out.append(" (").append(code.text).append(')');
        }
        if (text != null && !text.isEmpty()) {
            out.append(' ').append(string(text));
        }
        return out.append("\r\n").toString();
    }

    static String ok(String text) {
        return line("OK", null, text);
    }
}

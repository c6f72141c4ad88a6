package org.osprey.core.net;

import java.nio.charset.StandardCharsets;

/**
 * One line read from a client, without its terminator. {@code crlf} is false when the line ended in a bare LF,
 * which SMTP must refuse (smuggling) and IMAP/POP3 may tolerate.
 */
public record Line(byte[] bytes, boolean crlf) {

    /** The line as UTF-8 text; malformed bytes become U+FFFD, so parsers never see invalid strings. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** True when a CR occurs inside the line (a bare CR, never valid in a command). */
    public boolean hasBareCr() {
        for (byte b : bytes) {
            if (b == '\r') {
                return true;
            }
        }
        return false;
    }

    public int length() {
        return bytes.length;
    }
}

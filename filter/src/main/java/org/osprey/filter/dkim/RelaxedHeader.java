package org.osprey.filter.dkim;

import java.io.ByteArrayOutputStream;

/**
 * The "relaxed" header canonicalization of RFC 6376 §3.4.2, on the raw bytes of one header field (name, colon,
 * value, with its folds, without the final line break): the name lower-cased, the value unfolded, every run of
 * spaces and tabs made one space, and the white space at the value's ends and around the colon removed. The result
 * has no CRLF; the signer adds one after each signed field. Bytes over 127 (UTF-8 header values) pass unchanged.
 */
public final class RelaxedHeader {
    private RelaxedHeader() {
    }

    public static byte[] canonicalize(byte[] field) {
        int colon = indexOf(field, (byte) ':');
        int nameEnd = colon < 0 ? field.length : colon;
        var out = new ByteArrayOutputStream(field.length);
        // "Convert all header field names to lowercase"; WSP between the name and the colon goes.
        int nameLast = nameEnd;
        while (nameLast > 0 && isWsp(field[nameLast - 1])) {
            nameLast--;
        }
        for (int i = 0; i < nameLast; i++) {
            byte b = field[i];
            out.write(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
        }
        if (colon < 0) {
            return out.toByteArray();
        }
        out.write(':');
        boolean space = false;
        boolean started = false;
        for (int i = colon + 1; i < field.length; i++) {
            byte b = field[i];
            if (b == '\r' && i + 1 < field.length && field[i + 1] == '\n') {
                // Unfolding removes the CRLF only; the WSP that follows it is reduced like any other.
                i++;
                continue;
            }
            if (b == '\n') {
                // A bare LF ends a line as the message is sent (with CRLF), so it unfolds the same way.
                continue;
            }
            if (isWsp(b)) {
                space = true;
                continue;
            }
            if (space && started) {
                out.write(' ');
            }
            space = false;
            started = true;
            out.write(b);
        }
        return out.toByteArray();
    }

    private static boolean isWsp(byte b) {
        return b == ' ' || b == '\t';
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}

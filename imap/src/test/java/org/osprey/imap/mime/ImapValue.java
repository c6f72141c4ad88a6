package org.osprey.imap.mime;

import java.nio.charset.StandardCharsets;

/**
 * Test helper: reads IMAP response data (lists, NIL, numbers, atoms, quoted strings, literals) and writes it back
 * in one canonical, readable form, so two servers' answers compare equal whatever each chose between a quoted
 * string and a literal. Strings come out quoted with Java-like escapes; 8-bit octets as \xHH. Fails on syntax
 * errors, which is the point: what we write must parse.
 */
final class ImapValue {
    private final byte[] s;
    private int i;

    private ImapValue(byte[] s) {
        this.s = s;
    }

    /** The canonical form of one value taking all of {@code data}. */
    static String canonical(byte[] data) {
        var v = new ImapValue(data);
        var out = new StringBuilder();
        v.value(out);
        if (v.i != data.length) {
            throw new IllegalArgumentException("trailing data at " + v.i + ": " + text(data));
        }
        return out.toString();
    }

    static String canonical(String data) {
        return canonical(data.getBytes(StandardCharsets.UTF_8));
    }

    private void value(StringBuilder out) {
        if (i >= s.length) {
            throw error("value expected");
        }
        byte c = s[i];
        if (c == '(') {
            i++;
            out.append('(');
            boolean first = true;
            while (true) {
                while (i < s.length && s[i] == ' ') {
                    i++;
                }
                if (i < s.length && s[i] == ')') {
                    i++;
                    break;
                }
                if (!first) {
                    out.append(' ');
                }
                first = false;
                value(out);
            }
            out.append(')');
        } else if (c == '"') {
            i++;
            var b = new java.io.ByteArrayOutputStream();
            while (true) {
                if (i >= s.length || s[i] == '\r' || s[i] == '\n') {
                    throw error("unterminated quoted string");
                }
                byte x = s[i++];
                if (x == '"') {
                    break;
                }
                if (x == '\\') {
                    x = s[i++];
                    if (x != '"' && x != '\\') {
                        throw error("bad escape");
                    }
                }
                b.write(x);
            }
            string(out, b.toByteArray());
        } else if (c == '{' || c == '~') {
            int close = indexOf('}', i);
            int n = Integer.parseInt(new String(s, i + (c == '~' ? 2 : 1), close - i - (c == '~' ? 2 : 1),
                    StandardCharsets.US_ASCII));
            if (s[close + 1] != '\r' || s[close + 2] != '\n') {
                throw error("literal without CRLF");
            }
            i = close + 3;
            byte[] b = java.util.Arrays.copyOfRange(s, i, i + n);
            if (b.length != n) {
                throw error("short literal");
            }
            i += n;
            string(out, b);
        } else {
            int start = i;
            while (i < s.length && s[i] != ' ' && s[i] != ')' && s[i] != '(') {
                i++;
            }
            if (start == i) {
                throw error("atom expected");
            }
            out.append(new String(s, start, i - start, StandardCharsets.ISO_8859_1));
        }
    }

    private static void string(StringBuilder out, byte[] b) {
        out.append('"');
        for (byte x : b) {
            int u = x & 0xff;
            if (u == '"' || u == '\\') {
                out.append('\\').append((char) u);
            } else if (u >= 0x20 && u < 0x7f) {
                out.append((char) u);
            } else {
                out.append(String.format("\\x%02x", u));
            }
        }
        out.append('"');
    }

    private int indexOf(char c, int from) {
        for (int j = from; j < s.length; j++) {
            if (s[j] == c) {
                return j;
            }
        }
        throw error("missing " + c);
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at " + i + " in " + text(s));
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}

package org.osprey.imap.parse;

import java.util.Arrays;

/**
 * Modified UTF-7, the encoding of international mailbox names in IMAP4rev1 (RFC 3501 §5.1.3). Printable US-ASCII
 * (0x20-0x7E) stands for itself except "&amp;", which is written "&amp;-"; every other character goes, as UTF-16,
 * into modified BASE64 (with "," for "/", no padding) between "&amp;" and "-".
 *
 * <p>{@link #decode} is strict, because two spellings of one name would be two mailboxes to a careless store: it
 * refuses characters outside 0x20-0x7E, an unterminated shift, a character that is not modified BASE64, leftover
 * bits that are not zero or make a whole BASE64 character, broken surrogate pairs, and printable US-ASCII encoded in
 * BASE64 (which RFC 3501 forbids). {@link #encode} writes the one canonical form.
 */
public final class ModifiedUtf7 {
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".toCharArray();
    private static final int[] VALUES = new int[128];

    static {
        Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = i;
        }
    }

    private ModifiedUtf7() {
    }

    /** Encodes a mailbox name; throws {@link IllegalArgumentException} for an unpaired surrogate. */
    public static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c >= 0x20 && c <= 0x7e) {
                out.append(c == '&' ? "&-" : String.valueOf(c));
                i++;
                continue;
            }
            int end = i;
            while (end < name.length() && (name.charAt(end) < 0x20 || name.charAt(end) > 0x7e)) {
                end++;
            }
            out.append('&');
            encodeRun(name, i, end, out);
            out.append('-');
            i = end;
        }
        return out.toString();
    }

    private static void encodeRun(String name, int start, int end, StringBuilder out) {
        int bits = 0;
        int buffer = 0;
        for (int i = start; i < end; i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && (i + 1 >= end || !Character.isLowSurrogate(name.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == start || !Character.isHighSurrogate(name.charAt(i - 1)))) {
                throw new IllegalArgumentException("unpaired surrogate in mailbox name");
            }
            buffer = (buffer << 16) | c;
            bits += 16;
            while (bits >= 6) {
                bits -= 6;
                out.append(ALPHABET[(buffer >> bits) & 0x3f]);
            }
            buffer &= (1 << bits) - 1;
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (6 - bits)) & 0x3f]);
        }
    }

    /** Decodes a mailbox name; throws {@link IllegalArgumentException} when it is not valid modified UTF-7. */
    public static String decode(String encoded) {
        StringBuilder out = new StringBuilder(encoded.length());
        int i = 0;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("character outside printable US-ASCII");
            }
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int dash = encoded.indexOf('-', i + 1);
            if (dash < 0) {
                throw new IllegalArgumentException("unterminated &");
            }
            if (dash == i + 1) {
                out.append('&');
            } else {
                decodeRun(encoded, i + 1, dash, out);
            }
            i = dash + 1;
        }
        return out.toString();
    }

    /** True when {@code encoded} is valid modified UTF-7. */
    public static boolean isValid(String encoded) {
        try {
            decode(encoded);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void decodeRun(String encoded, int start, int end, StringBuilder out) {
        int bits = 0;
        int buffer = 0;
        int runStart = out.length();
        for (int i = start; i < end; i++) {
            char c = encoded.charAt(i);
            int value = c < 128 ? VALUES[c] : -1;
            if (value < 0) {
                throw new IllegalArgumentException("invalid modified BASE64 character");
            }
            buffer = (buffer << 6) | value;
            bits += 6;
            if (bits >= 16) {
                bits -= 16;
                char unit = (char) ((buffer >> bits) & 0xffff);
                if (unit >= 0x20 && unit <= 0x7e) {
                    throw new IllegalArgumentException("printable US-ASCII must not be BASE64-encoded");
                }
                out.append(unit);
                buffer &= (1 << bits) - 1;
            }
        }
        // The encoder pads the last 16-bit unit to a whole BASE64 character with zero bits: at most 4 are left.
        if (bits >= 6 || buffer != 0 || out.length() == runStart) {
            throw new IllegalArgumentException("invalid modified BASE64 padding");
        }
        for (int i = runStart; i < out.length(); i++) {
            char c = out.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= out.length() || !Character.isLowSurrogate(out.charAt(i + 1))) {
                    throw new IllegalArgumentException("unpaired surrogate");
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException("unpaired surrogate");
            }
        }
    }
}

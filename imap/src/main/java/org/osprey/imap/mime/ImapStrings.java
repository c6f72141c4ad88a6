package org.osprey.imap.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes IMAP string data (RFC 9051 §4.3, RFC 3501 §4.3) into a response being built: {@code NIL}, quoted strings,
 * literals, and the choices between them that {@code string}, {@code nstring} and {@code astring} allow.
 *
 * <p>A value goes as a quoted string when it is short and plain: printable US-ASCII and TAB only, with {@code "}
 * and {@code \} escaped. Anything else (8-bit bytes, CR, LF, other controls, long values) goes as a synchronizing
 * literal {@code {n}\r\n<n octets>}, which every client reads, IMAP4rev1 or IMAP4rev2. A literal cannot carry NUL
 * (RFC 9051 §4.3: {@code CHAR8} excludes it), so a NUL in a value is written as 0x80, as Dovecot does in headers;
 * bodies with NULs belong in {@code literal8} (BINARY), which the session writes itself.
 *
 * <p>Strings given as {@link String} are written in UTF-8. Stateless and thread-safe.
 */
public final class ImapStrings {
    /** Values longer than this many octets are written as literals even when they could be quoted. */
    public static final int MAX_QUOTED = 1000;

    private static final byte[] NIL = {'N', 'I', 'L'};
    private static final byte[] EMPTY = {'"', '"'};

    private ImapStrings() {
    }

    /** Writes {@code NIL}. */
    public static void nil(ByteArrayOutputStream out) {
        out.writeBytes(NIL);
    }

    /** Writes {@code value} as an {@code nstring}: {@code NIL} when null, else as a {@code string}. */
    public static void nstring(ByteArrayOutputStream out, String value) {
        if (value == null) {
            nil(out);
        } else {
            string(out, value);
        }
    }

    /** Writes octets as an {@code nstring}: {@code NIL} when null, else as a {@code string}. */
    public static void nstring(ByteArrayOutputStream out, byte[] value) {
        if (value == null) {
            nil(out);
        } else {
            string(out, value);
        }
    }

    /** Writes {@code value} (in UTF-8) as a {@code string}: quoted when {@link #isQuotable quotable}, else literal. */
    public static void string(ByteArrayOutputStream out, String value) {
        string(out, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes octets as a {@code string}: quoted when {@link #isQuotable quotable}, else a literal. */
    public static void string(ByteArrayOutputStream out, byte[] value) {
        if (isQuotable(value)) {
            quoted(out, value);
        } else {
            literal(out, value);
        }
    }

    /**
     * Writes {@code value} as an {@code astring}: a bare atom when every character may stand in one (ASTRING-CHAR)
     * and it is not empty or {@code NIL} (which a client could take for nil), else as a {@code string}.
     */
    public static void astring(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (isAtom(bytes, true) && !value.equalsIgnoreCase("NIL")) {
            out.writeBytes(bytes);
        } else {
            string(out, bytes);
        }
    }

    /** True when {@code value} may be written as a quoted string: not too long, printable US-ASCII or TAB only. */
    public static boolean isQuotable(byte[] value) {
        if (value.length > MAX_QUOTED) {
            return false;
        }
        for (byte b : value) {
            if ((b < 0x20 && b != '\t') || b == 0x7f) { // negative bytes (8-bit) fail the first test too
                return false;
            }
        }
        return true;
    }

    /**
     * True when {@code value} is a non-empty atom: no atom-specials (RFC 9051 §9: {@code ( ) { SP CTL % * " \ ]}),
     * 7-bit only; with {@code astring}, {@code ]} is allowed too (ASTRING-CHAR).
     */
    public static boolean isAtom(byte[] value, boolean astring) {
        if (value.length == 0) {
            return false;
        }
        for (byte b : value) {
            if (b <= 0x20 || b == 0x7f) { // CTL, SP and 8-bit (negative)
                return false;
            }
            switch (b) {
                case '(', ')', '{', '%', '*', '"', '\\' -> {
                    return false;
                }
                case ']' -> {
                    if (!astring) {
                        return false;
                    }
                }
                default -> {
                }
            }
        }
        return true;
    }

    /**
     * Writes a quoted string, escaping {@code "} and {@code \}.
     *
     * @throws IllegalArgumentException when the value is not {@link #isQuotable quotable}
     */
    public static void quoted(ByteArrayOutputStream out, byte[] value) {
        if (!isQuotable(value)) {
            throw new IllegalArgumentException("value cannot be a quoted string");
        }
        if (value.length == 0) {
            out.writeBytes(EMPTY);
            return;
        }
        out.write('"');
        int start = 0;
        for (int i = 0; i < value.length; i++) {
            byte b = value[i];
            if (b == '"' || b == '\\') {
                out.write(value, start, i - start);
                out.write('\\');
                start = i;
            }
        }
        out.write(value, start, value.length - start);
        out.write('"');
    }

    /** Writes a synchronizing literal {@code {n}\r\n} and the octets, NUL written as 0x80 (see the class comment). */
    public static void literal(ByteArrayOutputStream out, byte[] value) {
        out.write('{');
        out.writeBytes(Long.toString(value.length).getBytes(StandardCharsets.US_ASCII));
        out.write('}');
        out.write('\r');
        out.write('\n');
        int start = 0;
        for (int i = 0; i < value.length; i++) {
            if (value[i] == 0) {
                out.write(value, start, i - start);
                out.write(0x80);
                start = i + 1;
            }
        }
        out.write(value, start, value.length - start);
    }

    /** Writes a decimal number (RFC 9051 {@code number} / {@code number64}). */
    public static void number(ByteArrayOutputStream out, long value) {
        out.writeBytes(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }
}

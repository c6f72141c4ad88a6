package org.osprey.sieve.message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The header of a message as bytes, split into fields (RFC 5322 §2.2): each field is its name and the byte range of
 * the whole field (name, colon, value, folded continuation lines, line end). Reading stops right after the empty
 * line that ends the header, so the stream is then at the first byte of the body. Lines may end in CRLF or LF.
 * Lines before the first field or without a colon (an mbox "From " line, garbage) are kept in the byte ranges of
 * no field: they are dropped when the header is rewritten. At most {@link #MAX_HEADER} bytes are read as header.
 *
 * @param bytes   the header bytes, including the empty line when there is one
 * @param fields  the fields in order
 * @param hasBody whether an empty line ended the header (RFC 5173 §4: without it there is no body at all)
 */
public record HeaderBlock(byte[] bytes, List<Field> fields, boolean hasBody) {
    public static final int MAX_HEADER = 1 << 20;

    public HeaderBlock {
        fields = List.copyOf(fields);
    }

    /** A field: its name as written (trailing blanks before the colon removed) and its bytes [start, end). */
    public record Field(String name, int start, int end, int valueStart) {
    }

    /** Reads the header from {@code in}, leaving the stream at the start of the body. */
    public static HeaderBlock read(InputStream in) throws IOException {
        var bytes = new ByteArrayOutputStream(4096);
        List<int[]> ranges = new ArrayList<>(); // {start, end, colon}
        boolean hasBody = false;
        var line = new ByteArrayOutputStream(256);
        while (bytes.size() < MAX_HEADER) {
            line.reset();
            int c;
            while ((c = in.read()) >= 0) {
                line.write(c);
                if (c == '\n') {
                    break;
                }
            }
            int length = line.size();
            if (length == 0) {
                break; // end of the message: no body
            }
            byte[] l = line.toByteArray();
            int start = bytes.size();
            bytes.write(l, 0, length);
            if (isBlank(l)) {
                hasBody = l[length - 1] == '\n'; // a lone "\r" at the very end is no empty line
                break;
            }
            if ((l[0] == ' ' || l[0] == '\t') && !ranges.isEmpty()) {
                ranges.getLast()[1] = start + length; // folded continuation
                continue;
            }
            int colon = indexOf(l, (byte) ':');
            if (colon > 0) {
                ranges.add(new int[] {start, start + length, start + colon});
            }
            if (c < 0) {
                break;
            }
        }
        byte[] all = bytes.toByteArray();
        List<Field> fields = new ArrayList<>(ranges.size());
        for (int[] r : ranges) {
            int nameEnd = r[2];
            while (nameEnd > r[0] && (all[nameEnd - 1] == ' ' || all[nameEnd - 1] == '\t')) {
                nameEnd--;
            }
            String name = new String(all, r[0], nameEnd - r[0], java.nio.charset.StandardCharsets.ISO_8859_1);
            fields.add(new Field(name, r[0], r[1], r[2] + 1));
        }
        return new HeaderBlock(all, fields, hasBody);
    }

    private static boolean isBlank(byte[] line) {
        return line.length == 1 && line[0] == '\n' || line.length == 2 && line[0] == '\r' && line[1] == '\n'
                || line.length == 1 && line[0] == '\r';
    }

    private static int indexOf(byte[] line, byte b) {
        for (int i = 0; i < line.length; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }
}

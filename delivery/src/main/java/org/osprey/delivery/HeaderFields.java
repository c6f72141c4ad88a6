package org.osprey.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osprey.filter.mail.HeaderField;
import org.osprey.filter.mail.MessageHeader;

/**
 * The header fields of a message as a map, for the few fields Osprey reads itself (Message-ID, References and
 * Subject for replies; From, Date and Message-ID at submission): names lower case, the first occurrence of each,
 * values unfolded and read as UTF-8. At most {@link #LIMIT} bytes are read; the stream is left after the header.
 */
public final class HeaderFields {
    public static final int LIMIT = 256 * 1024;

    private HeaderFields() {
    }

    /** Reads the header section (with the content checks' reader); pass a buffered stream, it is read byte by byte. */
    public static Map<String, String> read(InputStream in) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (HeaderField field : MessageHeader.read(in).fields()) {
            if (!field.name().isEmpty()) {
                // RFC 5322 §2.2.3: unfolded; the folding white space reads as one space
                fields.putIfAbsent(field.lowerName(), field.value().replaceAll("[\\t ]*[\\t][\\t ]*", " ").strip());
            }
        }
        return fields;
    }

    /** The message with header lines (each without its line ending) put on top. */
    public static InputStream prepend(java.util.List<String> lines, InputStream message) {
        if (lines.isEmpty()) {
            return message;
        }
        StringBuilder sb = new StringBuilder();
        lines.forEach(line -> sb.append(line).append("\r\n"));
        return new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(
                sb.toString().getBytes(StandardCharsets.UTF_8)), message);
    }

    /**
     * The message without the header fields at these positions (0 = the first field; a folded field goes whole).
     * Counts fields as the content checks' reader does: a field starts with a line that does not begin with a space
     * or tab; the header ends at the first empty line or after {@link #LIMIT} bytes. Reads the header section at
     * once; the body streams.
     */
    public static InputStream without(java.util.Set<Integer> positions, InputStream message) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int position = -1;
        int total = 0;
        int c;
        while (total < LIMIT && (c = message.read()) != -1) {
            total++;
            line.write(c);
            if (c != '\n') {
                continue;
            }
            byte[] bytes = line.toByteArray();
            line.reset();
            boolean empty = bytes.length == 1 || (bytes.length == 2 && bytes[0] == '\r');
            if (empty) {
                kept.write(bytes);
                break;
            }
            if (bytes[0] != ' ' && bytes[0] != '\t' || position < 0) {
                position++;
            }
            if (!positions.contains(position)) {
                kept.write(bytes);
            }
        }
        byte[] rest = line.toByteArray(); // a last line without its line break: the message ended in the header
        boolean continued = rest.length > 0 && (rest[0] == ' ' || rest[0] == '\t') && position >= 0;
        if (rest.length > 0 && !positions.contains(continued ? position : position + 1)) {
            kept.write(rest);
        }
        return new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(kept.toByteArray()), message);
    }
}

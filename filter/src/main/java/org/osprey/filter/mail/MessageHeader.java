package org.osprey.filter.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The header section of a message as a list of fields in their order, for the checks that read or remove fields
 * (X-Spam-* and forged Authentication-Results are removed by position, see
 * {@link org.osprey.filter.Verdict.Accept#removedFields()}). Reads at most {@link #LIMIT} bytes; a line without a
 * colon (not a field) still counts as a position so positions match what delivery counts.
 */
public record MessageHeader(List<HeaderField> fields) {
    public static final int LIMIT = 256 * 1024;

    public MessageHeader {
        fields = List.copyOf(fields);
    }

    /** Reads the header section from the start of a message; pass a buffered stream, it is read byte by byte. */
    public static MessageHeader read(InputStream in) throws IOException {
        List<HeaderField> fields = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        StringBuilder field = null;
        int total = 0;
        int c;
        while ((c = in.read()) != -1 && total++ < LIMIT) {
            if (c == '\r') {
                continue;
            }
            if (c != '\n') {
                line.write(c);
                continue;
            }
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (text.isEmpty()) {
                break;
            }
            if ((text.charAt(0) == ' ' || text.charAt(0) == '\t') && field != null) {
                field.append(text); // RFC 5322 §2.2.3: unfolding removes only the CRLF
                continue;
            }
            add(fields, field);
            field = new StringBuilder(text);
        }
        if (line.size() > 0) { // the message ended inside the header, without a line break
            String text = line.toString(StandardCharsets.UTF_8);
            if ((text.charAt(0) == ' ' || text.charAt(0) == '\t') && field != null) {
                field.append(text);
            } else {
                add(fields, field);
                field = new StringBuilder(text);
            }
        }
        add(fields, field);
        return new MessageHeader(fields);
    }

    private static void add(List<HeaderField> fields, StringBuilder field) {
        if (field == null) {
            return;
        }
        int colon = field.indexOf(":");
        String name = colon > 0 ? field.substring(0, colon).strip() : "";
        String value = colon > 0 ? field.substring(colon + 1).strip() : field.toString();
        fields.add(new HeaderField(fields.size(), name, value));
    }

    /** Every field with this name, in order. */
    public List<HeaderField> all(String name) {
        return fields.stream().filter(f -> f.is(name)).toList();
    }

    /** The first field with this name. */
    public Optional<HeaderField> first(String name) {
        return fields.stream().filter(f -> f.is(name)).findFirst();
    }

    /** The value of the first field with this name. */
    public Optional<String> value(String name) {
        return first(name).map(HeaderField::value);
    }
}

package org.osprey.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.address.MailboxList;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.codec.DecodeMonitor;

/**
 * The header section of a submitted message, unfolded, as far as submission needs it: which fields are there
 * (Date, Message-ID are added when missing, RFC 6409 §8.2/§8.3) and the addresses in From:. Reads at most
 * {@link #MAX_BYTES}; a header longer than that is treated as ending there.
 */
final class SubmittedHeader {
    static final int MAX_BYTES = 1024 * 1024;

    private final List<String[]> fields;

    private SubmittedHeader(List<String[]> fields) {
        this.fields = fields;
    }

    /** Reads the header section; the stream is left after it (or at the limit). */
    static SubmittedHeader read(InputStream in) throws IOException {
        List<String[]> fields = new ArrayList<>();
        StringBuilder current = null;
        StringBuilder line = new StringBuilder();
        int total = 0;
        int c;
        while ((c = in.read()) != -1 && total++ < MAX_BYTES) {
            if (c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
                continue;
            }
            if (line.isEmpty()) {
                break; // the empty line that ends the header
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append(line); // RFC 5322 §2.2.3: unfolding
            } else {
                add(fields, current);
                current = new StringBuilder(line);
            }
            line.setLength(0);
        }
        add(fields, current);
        return new SubmittedHeader(fields);
    }

    private static void add(List<String[]> fields, StringBuilder field) {
        if (field == null) {
            return;
        }
        int colon = field.indexOf(":");
        if (colon > 0) {
            fields.add(new String[] {field.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    field.substring(colon + 1).strip()});
        }
    }

    boolean has(String name) {
        return fields.stream().anyMatch(f -> f[0].equals(name));
    }

    /** The From: field's value (raw, 8-bit as Latin-1 chars), if present. */
    Optional<String> from() {
        return fields.stream().filter(f -> f[0].equals("from")).map(f -> f[1]).findFirst();
    }

    /** The addresses of From:, or empty when the field is missing; null when it cannot be parsed. */
    static List<String> addresses(String fromValue) {
        String text = new String(fromValue.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        try {
            MailboxList list = DefaultAddressParser.DEFAULT.parseAddressList(text, DecodeMonitor.STRICT).flatten();
            List<String> result = new ArrayList<>();
            for (Mailbox mailbox : list) {
                result.add(mailbox.getAddress());
            }
            return result;
        } catch (Exception e) {
            return null;
        }
    }
}

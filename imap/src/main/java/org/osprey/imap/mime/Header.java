package org.osprey.imap.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The header fields of one entity that ENVELOPE and BODYSTRUCTURE need (the Content-* fields and the envelope's),
 * unfolded, as raw octets: no RFC 2047 decoding, no charset guessing. Other fields are not kept: sections are cut
 * from the message's bytes, not rebuilt from here. A value starts after the colon and the whitespace following
 * it and keeps everything else, trailing whitespace included (as Dovecot's ENVELOPE does); folding CRLFs are
 * removed and the whitespace after them kept; a CR that ends no line becomes a space. Values are capped at
 * {@link #MAX_VALUE} octets. {@link LineReader}'s line buffer is modified in place.
 */
final class Header {
    static final int MAX_VALUE = 256 * 1024;
    private static final Set<String> KEPT = Set.of("date", "subject", "from", "sender", "reply-to", "to", "cc", "bcc",
            "in-reply-to", "message-id", "content-type", "content-transfer-encoding", "content-id",
            "content-description", "content-disposition", "content-language", "content-location", "content-md5",
            "mime-version");

    private record Field(String name, byte[] value) {
    }

    private final List<Field> fields = new ArrayList<>(4);
    private String pendingName;
    private ByteArrayOutputStream pendingValue;

    /** Feeds one header line (kept bytes, terminator possibly included); continuation lines extend the field. */
    void line(byte[] line, int length) {
        int end = length;
        while (end > 0 && (line[end - 1] == '\n' || line[end - 1] == '\r')) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            if (line[i] == '\r') {
                line[i] = ' '; // a CR that ends no line is a space, as Dovecot reads it
            }
        }
        if (length > 0 && (line[0] == ' ' || line[0] == '\t')) {
            if (pendingValue != null && pendingValue.size() < MAX_VALUE) {
                pendingValue.write(line, 0, Math.min(end, MAX_VALUE - pendingValue.size()));
            }
            return;
        }
        finish();
        int colon = -1;
        for (int i = 0; i < end; i++) {
            if (line[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            return; // not a field (Dovecot keeps such lines in the header, and so do sections; nothing to parse)
        }
        int nameEnd = colon;
        while (nameEnd > 0 && (line[nameEnd - 1] == ' ' || line[nameEnd - 1] == '\t')) {
            nameEnd--;
        }
        String name = new String(line, 0, nameEnd, StandardCharsets.ISO_8859_1)
                .toLowerCase(Locale.ROOT);
        if (!KEPT.contains(name)) {
            return;
        }
        int valueStart = colon + 1;
        while (valueStart < end && (line[valueStart] == ' ' || line[valueStart] == '\t')) {
            valueStart++;
        }
        pendingName = name;
        pendingValue = new ByteArrayOutputStream(Math.max(16, end - valueStart));
        pendingValue.write(line, valueStart, Math.min(end - valueStart, MAX_VALUE));
    }

    /** Ends the field being collected; call when the header ends. */
    void finish() {
        if (pendingName != null) {
            fields.add(new Field(pendingName, leadingWhitespaceTrimmed(pendingValue.toByteArray())));
            pendingName = null;
            pendingValue = null;
        }
    }

    /** The value of the first field with this (lower-case) name, or null: MIME fields, where the first counts. */
    byte[] first(String name) {
        for (Field f : fields) {
            if (f.name.equals(name)) {
                return f.value;
            }
        }
        return null;
    }

    /** The value of the last field with this (lower-case) name, or null: envelope fields, as Dovecot takes them. */
    byte[] last(String name) {
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (fields.get(i).name.equals(name)) {
                return fields.get(i).value;
            }
        }
        return null;
    }

    /** The values of every field with this (lower-case) name, in order: address lists, which Dovecot joins. */
    List<byte[]> all(String name) {
        List<byte[]> values = new ArrayList<>(1);
        for (Field f : fields) {
            if (f.name.equals(name)) {
                values.add(f.value);
            }
        }
        return values;
    }

    /** A value folded right after the colon ("Subject:\r\n text") starts with the continuation's whitespace. */
    private static byte[] leadingWhitespaceTrimmed(byte[] value) {
        int i = 0;
        while (i < value.length && (value[i] == ' ' || value[i] == '\t')) {
            i++;
        }
        return i == 0 ? value : Arrays.copyOfRange(value, i, value.length);
    }
}

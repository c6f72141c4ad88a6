package org.osprey.imap.parse;

import java.util.List;

/**
 * A body section of FETCH BODY[...] (RFC 3501 §6.4.5, RFC 9051 §6.4.5): a part path ({@code 1.2.3}, empty for the
 * whole message) and what of it: everything, the header, some header fields, the text, or a part's MIME header.
 *
 * @param part   part numbers, each at least 1; empty means the message itself
 * @param kind   which piece of the part
 * @param fields the header field names for {@link Kind#HEADER_FIELDS} and {@link Kind#HEADER_FIELDS_NOT}, else empty
 */
public record Section(List<Integer> part, Kind kind, List<String> fields) {

    public enum Kind {
        /** {@code BODY[]} or {@code BODY[1.2]}: the whole message or the body of a part. */
        CONTENT,
        HEADER,
        HEADER_FIELDS,
        HEADER_FIELDS_NOT,
        TEXT,
        /** Only with a part path: the MIME header of that part. */
        MIME
    }

    /** {@code BODY[]}. */
    public static final Section ALL = new Section(List.of(), Kind.CONTENT, List.of());

    public Section {
        part = List.copyOf(part);
        fields = List.copyOf(fields);
        if (part.stream().anyMatch(p -> p < 1)) {
            throw new IllegalArgumentException("part numbers start at 1");
        }
        if (kind == Kind.MIME && part.isEmpty()) {
            throw new IllegalArgumentException("MIME needs a part number");
        }
        boolean hasFields = kind == Kind.HEADER_FIELDS || kind == Kind.HEADER_FIELDS_NOT;
        if (hasFields == fields.isEmpty()) {
            throw new IllegalArgumentException(hasFields ? "header list must not be empty" : "unexpected fields");
        }
    }

    /**
     * The section spec as it goes between the brackets of a FETCH response, e.g. {@code 1.2.HEADER.FIELDS (DATE
     * FROM)}. Field names are atoms here; the encoder quotes any that are not.
     */
    public String spec() {
        StringBuilder out = new StringBuilder();
        for (int p : part) {
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(p);
        }
        String text = switch (kind) {
            case CONTENT -> "";
            case HEADER -> "HEADER";
            case HEADER_FIELDS -> "HEADER.FIELDS (" + String.join(" ", fields) + ")";
            case HEADER_FIELDS_NOT -> "HEADER.FIELDS.NOT (" + String.join(" ", fields) + ")";
            case TEXT -> "TEXT";
            case MIME -> "MIME";
        };
        if (!text.isEmpty() && !out.isEmpty()) {
            out.append('.');
        }
        return out.append(text).toString();
    }
}

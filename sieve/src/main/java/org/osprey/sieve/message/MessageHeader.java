package org.osprey.sieve.message;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header fields of the message being filtered, as the script currently sees them: the fields read from the
 * message, changed by addheader and deleteheader as the script runs (RFC 5293 §7: later tests see the changes).
 * Look-ups by name are case-insensitive and served from an index rebuilt only after a change.
 */
public final class MessageHeader {
    private final List<HeaderField> fields;
    private Map<String, List<HeaderField>> byName;

    public MessageHeader(List<HeaderField> fields) {
        this.fields = new ArrayList<>(fields);
    }

    /** The fields of a parsed header block. */
    public static MessageHeader of(HeaderBlock block) {
        List<HeaderField> fields = new ArrayList<>(block.fields().size());
        byte[] bytes = block.bytes();
        for (HeaderBlock.Field f : block.fields()) {
            String value = HeaderText.decodeBytes(bytes, f.valueStart(), f.end() - f.valueStart());
            fields.add(new HeaderField(f.name(), HeaderText.unfold(value)));
        }
        return new MessageHeader(fields);
    }

    /** All fields, top to bottom. */
    public List<HeaderField> fields() {
        return List.copyOf(fields);
    }

    /** The fields named {@code name} (any case), top to bottom; empty when there are none. */
    public List<HeaderField> all(String name) {
        Map<String, List<HeaderField>> index = byName;
        if (index == null) {
            index = new HashMap<>();
            for (HeaderField field : fields) {
                index.computeIfAbsent(field.lowerName(), k -> new ArrayList<>(1)).add(field);
            }
            byName = index;
        }
        List<HeaderField> found = index.get(name.toLowerCase(Locale.ROOT));
        return found == null ? List.of() : found;
    }

    public boolean has(String name) {
        return !all(name).isEmpty();
    }

    /** The decoded value of the first field named {@code name}, or null. */
    public String first(String name) {
        List<HeaderField> found = all(name);
        return found.isEmpty() ? null : found.getFirst().value();
    }

    /** Adds a field at the top, or at the bottom when {@code last} (RFC 5293 §4). */
    public void add(String name, String value, boolean last) {
        HeaderField field = HeaderField.added(name, value);
        if (last) {
            fields.add(field);
        } else {
            fields.addFirst(field);
        }
        byName = null;
    }

    /** Removes one field (by identity). */
    public void remove(HeaderField field) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i) == field) {
                fields.remove(i);
                byName = null;
                return;
            }
        }
    }
}

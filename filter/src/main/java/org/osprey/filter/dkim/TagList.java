package org.osprey.filter.dkim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The tag=value lists of RFC 6376 §3.2 that DKIM signatures, DKIM key records and DMARC records (RFC 7489 §6.4)
 * are written in: tags separated by ";", white space (and folding) around tags and values ignored, a final ";"
 * allowed. Tag names are case-sensitive; a tag given twice makes the list invalid.
 */
public final class TagList {
    private TagList() {
    }

    /**
     * The tags in their order, values with the white space at their ends removed.
     *
     * @throws IllegalArgumentException the text is not a tag list (a part without "=", an empty or bad tag name,
     *                                  a duplicate tag)
     */
    public static Map<String, String> parse(String text) {
        Map<String, String> tags = new LinkedHashMap<>();
        String unfolded = text.replace("\r\n", "").replace("\n", "");
        String[] parts = unfolded.split(";", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isBlank()) {
                if (i == parts.length - 1) {
                    continue; // the optional ";" at the end
                }
                throw new IllegalArgumentException("empty tag");
            }
            int equals = part.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("\"" + part.strip() + "\" has no \"=\"");
            }
            String name = part.substring(0, equals).strip();
            if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("bad tag name \"" + name + "\"");
            }
            if (tags.putIfAbsent(name, part.substring(equals + 1).strip()) != null) {
                throw new IllegalArgumentException("tag " + name + "= given twice");
            }
        }
        return tags;
    }

    /** A value with all white space taken out, as base64 values are compared (RFC 6376 §3.5, b= and bh=). */
    public static String withoutSpace(String value) {
        return value.replaceAll("[ \t\r\n]", "");
    }

    static String lower(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}

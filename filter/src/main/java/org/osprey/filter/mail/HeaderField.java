package org.osprey.filter.mail;

import java.util.Locale;

/**
 * One field of a message's header section as received: its position (0 = the first field), its name as written,
 * and its value unfolded (line breaks of folding removed, bytes read as UTF-8, RFC 2047 words not decoded).
 */
public record HeaderField(int position, String name, String value) {
    /** True when the name is {@code other}, ignoring case. */
    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }

    public String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }
}

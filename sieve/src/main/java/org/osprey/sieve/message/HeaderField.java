package org.osprey.sieve.message;

import java.util.List;
import java.util.Locale;

/**
 * One header field as Sieve sees it: its name and its value, unfolded. {@link #value()} (RFC 2047-decoded and
 * trimmed) and {@link #addresses()} are computed once, on first use.
 */
public final class HeaderField {
    private final String name;
    private final String lowerName;
    private final String raw;
    private String value;
    private List<MailAddress> addresses;

    public HeaderField(String name, String raw) {
        this.name = name;
        this.lowerName = name.toLowerCase(Locale.ROOT);
        this.raw = raw;
    }

    /** A field added by a script: the value is already the text to compare. */
    static HeaderField added(String name, String value) {
        HeaderField field = new HeaderField(name, " " + value);
        field.value = HeaderText.trim(value);
        return field;
    }

    public String name() {
        return name;
    }

    /** The name lower-cased: field names compare case-insensitively. */
    public String lowerName() {
        return lowerName;
    }

    /** The value unfolded but not decoded, as address parsing needs it (encoded-words may hide commas). */
    public String raw() {
        return raw;
    }

    /** The value unfolded, RFC 2047-decoded and without leading and trailing blanks. */
    public String value() {
        String v = value;
        if (v == null) {
            v = HeaderText.trim(HeaderText.decodeWords(raw));
            value = v;
        }
        return v;
    }

    /** The addresses in the value (parsed once): for the address test and vacation's checks. */
    public List<MailAddress> addresses() {
        List<MailAddress> a = addresses;
        if (a == null) {
            a = AddressParser.parseList(raw);
            addresses = a;
        }
        return a;
    }

    @Override
    public String toString() {
        return name + ":" + raw;
    }
}

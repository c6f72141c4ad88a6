package org.osprey.sieve.match;

import java.util.Optional;

/**
 * The comparators (collations of RFC 4790 §9) a script can name with {@code :comparator}. {@code i;octet} compares
 * code points (the order of UTF-8 octets); {@code i;ascii-casemap} does the same after mapping a-z to A-Z and only
 * those; {@code i;ascii-numeric} compares the numbers the strings start with, a string not starting with a digit
 * being positive infinity, and has no substring operation.
 */
public enum Comparator {
    OCTET("i;octet"),
    ASCII_CASEMAP("i;ascii-casemap"),
    ASCII_NUMERIC("i;ascii-numeric");

    private final String identifier;

    Comparator(String identifier) {
        this.identifier = identifier;
    }

    public String identifier() {
        return identifier;
    }

    public static Optional<Comparator> of(String identifier) {
        for (Comparator comparator : values()) {
            if (comparator.identifier.equalsIgnoreCase(identifier)) {
                return Optional.of(comparator);
            }
        }
        return Optional.empty();
    }

    /** RFC 4790 §9.1.1: i;ascii-numeric supports equality and ordering only. */
    public boolean supportsSubstring() {
        return this != ASCII_NUMERIC;
    }

    /** The string as this comparator sees it: upper-cased ASCII letters for i;ascii-casemap, else unchanged. */
    public String fold(String s) {
        return this == ASCII_CASEMAP ? upperAscii(s) : s;
    }

    /** Folds one character the way {@link #fold(String)} folds strings. */
    public char fold(char c) {
        return this == ASCII_CASEMAP && c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
    }

    public boolean equal(String value, String key) {
        return compare(value, key) == 0;
    }

    /** Substring test on folded strings; {@code key} must already be folded. */
    public boolean containsFolded(String value, String foldedKey) {
        return fold(value).contains(foldedKey);
    }

    /** Ordering: negative, zero or positive as {@code a} sorts before, with or after {@code b}. */
    public int compare(String a, String b) {
        return switch (this) {
            case OCTET -> compareCodePoints(a, b);
            case ASCII_CASEMAP -> compareCodePoints(upperAscii(a), upperAscii(b));
            case ASCII_NUMERIC -> compareNumeric(a, b);
        };
    }

    static String upperAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'a' && chars[j] <= 'z') {
                        chars[j] -= 32;
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** RFC 4790 §9.1: numbers of any size; leading zeros ignored; no leading digit means positive infinity. */
    private static int compareNumeric(String a, String b) {
        String da = digits(a);
        String db = digits(b);
        if (da == null || db == null) {
            return da == null ? (db == null ? 0 : 1) : -1;
        }
        if (da.length() != db.length()) {
            return Integer.compare(da.length(), db.length());
        }
        return da.compareTo(db);
    }

    /** The leading digits without leading zeros ("" for zero), or null when the string starts with no digit. */
    private static String digits(String s) {
        int end = 0;
        while (end < s.length() && s.charAt(end) >= '0' && s.charAt(end) <= '9') {
            end++;
        }
        if (end == 0) {
            return null;
        }
        int start = 0;
        while (start < end && s.charAt(start) == '0') {
            start++;
        }
        return s.substring(start, end);
    }
}

package org.osprey.imap.search;

import java.text.Normalizer;

/**
 * The i;unicode-casemap collation (RFC 5051), which IMAP SEARCH, SORT and THREAD compare strings with (RFC 5255
 * I18NLEVEL=1): each character is mapped to its titlecase, the result decomposed to NFKD, and the strings compared
 * by code point (the order of their UTF-8 octets). So "Straße" and "STRASSE" differ (ß has no single-character
 * titlecase) but "é" composed and decomposed, "ǆ" and "Ǆ" are equal. One addition to RFC 5051: the titlecase map is
 * applied again after the decomposition, so "ﬁ" equals "FI" as it equals "fi".
 */
final class UnicodeCasemap {
    private UnicodeCasemap() {
    }

    /** The canonical form of {@code s}: equal forms are equal strings under the collation. */
    static String key(String s) {
        boolean ascii = true;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return asciiKey(s);
        }
        String decomposed = Normalizer.normalize(titlecase(s), Normalizer.Form.NFKD);
        // titlecase once more: a compatibility decomposition ("ﬁ" to "fi") may bring back small letters
        return titlecase(decomposed);
    }

    private static String titlecase(String s) {
        StringBuilder titled = new StringBuilder(s.length());
        s.codePoints().forEach(c -> titled.appendCodePoint(Character.toTitleCase(c)));
        return titled.toString();
    }

    private static String asciiKey(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'a' && chars[j] <= 'z') {
                        chars[j] -= 'a' - 'A';
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }

    /** Compares two keys by code point. */
    static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // a surrogate (U+D800..DFFF) stands for a code point above U+FFFF: it sorts after every other char
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                if (sx != sy) {
                    return sx ? 1 : -1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** True when {@code haystack} contains {@code needle} under the collation (RFC 5051 substring). */
    static boolean contains(String haystack, String needle) {
        return key(haystack).contains(key(needle));
    }
}

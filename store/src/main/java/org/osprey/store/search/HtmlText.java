package org.osprey.store.search;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reduces HTML to the text a reader sees, for indexing: tags, comments and the content of {@code script} and
 * {@code style} are dropped, a tag separates words, character references are decoded (numeric ones, the common
 * named ones and the accented Latin letters), and runs of white space become one space. Not a browser: malformed
 * markup gives approximate text, which is all an index needs.
 */
final class HtmlText {
    private static final Map<String, String> ENTITIES = entities();

    private HtmlText() {
    }

    static String toText(String html) {
        StringBuilder out = new StringBuilder(html.length() / 2);
        int n = html.length();
        int i = 0;
        while (i < n) {
            char c = html.charAt(i);
            if (c == '<') {
                i = skipMarkup(html, i, out);
            } else if (c == '&') {
                i = entity(html, i, out);
            } else {
                space(out, Character.isWhitespace(c) ? ' ' : c);
                i++;
            }
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        return out.toString();
    }

    /** Appends {@code c}, folding runs of spaces into one and dropping leading ones. */
    private static void space(StringBuilder out, char c) {
        if (c == ' ' && (out.isEmpty() || out.charAt(out.length() - 1) == ' ')) {
            return;
        }
        out.append(c);
    }

    /** Skips a tag, comment or declaration starting at {@code i} ('<'); returns the index after it. */
    private static int skipMarkup(String html, int i, StringBuilder out) {
        int n = html.length();
        if (html.startsWith("<!--", i)) {
            int end = html.indexOf("-->", i + 4);
            space(out, ' ');
            return end < 0 ? n : end + 3;
        }
        int nameStart = i + 1;
        if (nameStart < n && html.charAt(nameStart) == '/') {
            nameStart++;
        }
        int nameEnd = nameStart;
        while (nameEnd < n && Character.isLetterOrDigit(html.charAt(nameEnd))) {
            nameEnd++;
        }
        if (nameEnd == nameStart && (nameStart >= n || "!?".indexOf(html.charAt(nameStart)) < 0)) {
            out.append('<'); // a lone "<" in text, as in "a < b"
            return i + 1;
        }
        int close = tagEnd(html, nameEnd);
        space(out, ' ');
        String name = html.substring(nameStart, nameEnd).toLowerCase(Locale.ROOT);
        boolean opening = html.charAt(i + 1) != '/';
        if (opening && (name.equals("script") || name.equals("style"))) {
            int end = indexOfIgnoreCase(html, "</" + name, close);
            return end < 0 ? n : tagEnd(html, end + 2);
        }
        return close;
    }

    /** The index after the '>' ending a tag whose name ends at {@code from}; quoted attribute values may hold '>'. */
    private static int tagEnd(String html, int from) {
        int n = html.length();
        char quote = 0;
        for (int i = from; i < n; i++) {
            char c = html.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return i + 1;
            }
        }
        return n;
    }

    /** Decodes a character reference at {@code i} ('&'), or copies the '&' when there is none. */
    private static int entity(String html, int i, StringBuilder out) {
        int n = html.length();
        int j = i + 1;
        while (j < n && j - i <= 32 && (Character.isLetterOrDigit(html.charAt(j)) || html.charAt(j) == '#')) {
            j++;
        }
        String name = html.substring(i + 1, j);
        String value = null;
        if (name.startsWith("#") && name.length() > 1) {
            try {
                int code = name.charAt(1) == 'x' || name.charAt(1) == 'X'
                        ? Integer.parseInt(name.substring(2), 16) : Integer.parseInt(name.substring(1));
                if (Character.isValidCodePoint(code) && code != 0) {
                    value = Character.toString(code);
                }
            } catch (NumberFormatException ignored) {
                // not a reference: copied as text below
            }
        } else {
            value = ENTITIES.get(name);
        }
        if (value == null) {
            out.append('&');
            return i + 1;
        }
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            space(out, Character.isWhitespace(c) || c == '\u00a0' ? ' ' : c);
        }
        return j < n && html.charAt(j) == ';' ? j + 1 : j;
    }

    private static int indexOfIgnoreCase(String s, String what, int from) {
        int n = s.length() - what.length();
        for (int i = from; i <= n; i++) {
            if (s.regionMatches(true, i, what, 0, what.length())) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, String> entities() {
        Map<String, String> map = new HashMap<>();
        String[] plain = {"nbsp", " ", "amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'", "copy", "©",
                "reg", "®", "trade", "™", "euro", "€", "pound", "£", "yen", "¥", "cent", "¢", "sect", "§",
                "deg", "°", "hellip", "…", "mdash", "—", "ndash", "–", "lsquo", "‘", "rsquo", "’", "sbquo", "‚",
                "ldquo", "“", "rdquo", "”", "bdquo", "„", "laquo", "«", "raquo", "»", "middot", "·", "bull", "•",
                "times", "×", "divide", "÷", "shy", "", "zwnj", "", "zwj", "", "szlig", "ß", "eth", "ð", "ETH", "Ð",
                "thorn", "þ", "THORN", "Þ", "aelig", "æ", "AElig", "Æ", "oelig", "œ", "OElig", "Œ", "oslash", "ø",
                "Oslash", "Ø", "iexcl", "¡", "iquest", "¿", "para", "¶", "micro", "µ"};
        for (int i = 0; i < plain.length; i += 2) {
            map.put(plain[i], plain[i + 1]);
        }
        // The accented letters: "auml" is 'a' with U+0308, composed; only names that compose to one letter count.
        String[][] marks = {{"grave", "\u0300"}, {"acute", "\u0301"}, {"circ", "\u0302"}, {"tilde", "\u0303"},
                {"uml", "\u0308"}, {"ring", "\u030a"}, {"cedil", "\u0327"}, {"caron", "\u030c"}};
        for (char base = 'A'; base <= 'z'; base++) {
            if (!Character.isLetter(base)) {
                continue;
            }
            for (String[] mark : marks) {
                String composed = Normalizer.normalize(base + mark[1], Normalizer.Form.NFC);
                if (composed.length() == 1) {
                    map.put(base + mark[0], composed);
                }
            }
        }
        return Map.copyOf(map);
    }
}

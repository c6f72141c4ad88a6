package org.osprey.filter.spam.rules;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Words written to slip past word filters while staying readable: letters of two scripts in one word (Cyrillic or
 * Greek look-alikes inside Latin words), invisible characters between letters, look-alike digits or symbols
 * inside letters ("V1agra", "cr3dit", "fr$e"), and letters spelled apart ("V-I-A-G-R-A"). Generic shapes only,
 * no word lists; codes without vowels (order numbers, serials) are not counted.
 */
final class Obfuscation {
    private static final String LOOKALIKES = "013457@$!|";
    private static final int MAX_WORDS = 20_000;

    private Obfuscation() {
    }

    /**
     * The distinct obfuscated words of a text. One pass: a word made of ASCII letters and ordinary punctuation
     * only (most words) is never looked at twice.
     */
    static Set<String> words(String text) {
        Set<String> found = new LinkedHashSet<>();
        int start = -1;
        boolean plain = true;
        int count = 0;
        int n = text.length();
        for (int i = 0; i <= n && count < MAX_WORDS; i++) {
            char c = i == n ? ' ' : text.charAt(i);
            boolean space = c == ' ' || c == '\n' || c == '\r' || c == '\t'
                || (c > 127 && (Character.isWhitespace(c) || Character.isSpaceChar(c)));
            if (!space) {
                if (start < 0) {
                    start = i;
                    plain = true;
                }
                plain &= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ',' || c == '\'' || c == ':'
                    || c == ';' || c == '"' || c == '(' || c == ')' || c == '?';
            } else if (start >= 0) {
                if (!plain && i - start >= 4) {
                    String word = trim(text.substring(start, i));
                    if (obfuscated(word)) {
                        found.add(word);
                    }
                }
                start = -1;
                count++;
            }
        }
        return found;
    }

    private static String trim(String word) {
        int from = 0;
        int to = word.length();
        while (from < to && ".,;:!?\"'()[]<>*".indexOf(word.charAt(from)) >= 0) {
            from++;
        }
        while (to > from && ".,;:!?\"'()[]<>*".indexOf(word.charAt(to - 1)) >= 0) {
            to--;
        }
        return word.substring(from, to);
    }

    static boolean obfuscated(String word) {
        if (word.length() < 4 || word.length() > 40 || word.contains("/") || word.contains("=")
            || word.contains("_") || word.contains("http")) {
            return false;
        }
        boolean nonAscii = false;
        boolean lookalike = false;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            nonAscii |= c > 127;
            lookalike |= LOOKALIKES.indexOf(c) >= 0;
        }
        return (nonAscii && (mixedScripts(word) || invisibleInside(word))) || (lookalike && lookalikeInside(word))
            || spelledApart(word);
    }

    private static boolean mixedScripts(String word) {
        boolean latin = false;
        boolean other = false;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (!Character.isLetter(c)) {
                continue;
            }
            Character.UnicodeScript script = Character.UnicodeScript.of(c);
            latin |= script == Character.UnicodeScript.LATIN;
            other |= script == Character.UnicodeScript.CYRILLIC || script == Character.UnicodeScript.GREEK;
        }
        return latin && other;
    }

    private static boolean invisibleInside(String word) {
        for (int i = 1; i < word.length() - 1; i++) {
            char c = word.charAt(i);
            boolean invisible = c == '\u200B' || c == '\u200C' || c == '\u200D' || c == '\u2060' || c == '\uFEFF'
                || c == '\u00AD';
            if (invisible && Character.isLetter(word.charAt(i - 1)) && Character.isLetter(word.charAt(i + 1))) {
                return true;
            }
        }
        return false;
    }

    /** One look-alike between letters, no other digits, at least four letters with a vowel among them. */
    private static boolean lookalikeInside(String word) {
        int letters = 0;
        int lookalikes = 0;
        int digits = 0;
        boolean vowel = false;
        boolean between = false;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                vowel |= "aeiouyAEIOUY".indexOf(c) >= 0;
            } else if (LOOKALIKES.indexOf(c) >= 0) {
                lookalikes++;
                between |= i > 0 && i < word.length() - 1 && Character.isLetter(word.charAt(i - 1))
                    && Character.isLetter(word.charAt(i + 1));
            }
            if (Character.isDigit(c)) {
                digits++;
            }
        }
        boolean digitsAreLookalikes = digits <= lookalikes && lookalikes <= 2;
        return between && letters >= 4 && vowel && digitsAreLookalikes && word.indexOf('.') < 0;
    }

    /** Single letters joined by one separator: "V-I-A-G-R-A", "F.R.E.E.", at least five letters. */
    private static boolean spelledApart(String word) {
        if (word.length() < 9) {
            return false;
        }
        char separator = word.charAt(1);
        if (Character.isLetterOrDigit(separator)) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (i % 2 == 0 ? !Character.isLetter(c) : c != separator) {
                return false;
            }
        }
        return true;
    }
}

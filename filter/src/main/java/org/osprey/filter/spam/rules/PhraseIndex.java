package org.osprey.filter.spam.rules;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds where any of many phrases (regular expressions) start at the start of a word of a text, in one pass: at
 * each word start only the phrases that can begin with its first two characters are tried. Which those are is
 * learned by asking each phrase about that pair of characters once ({@link Matcher#hitEnd()}: a phrase that
 * fails before using up both characters cannot start there), and remembered. Trying every phrase everywhere, as
 * one regular expression per family of phrases, cost ten times more on a 20 KB message. Thread-safe.
 */
final class PhraseIndex {
    /** The end of the text, as the second character (no char has this value). */
    private static final int END = 0x10000;
    /** ASCII pairs are remembered in a table, the end of the text being one more second character. */
    private static final int KINDS = 129;
    /** Pairs with other characters are remembered in a map of at most this many (then asked afresh each time). */
    static final int MAX_OTHER_PAIRS = 4096;

    private final List<Pattern> phrases;
    private final AtomicReferenceArray<long[]> asciiPairs = new AtomicReferenceArray<>(KINDS * KINDS);
    private final Map<Long, long[]> otherPairs = new ConcurrentHashMap<>();

    PhraseIndex(List<String> phrases) {
        this.phrases = phrases.stream().map(p -> Pattern.compile(p, Pattern.MULTILINE)).toList();
    }

    int size() {
        return phrases.size();
    }

    /** What {@link #find} reports. */
    @FunctionalInterface
    interface Found {
        void at(int phrase, String text);
    }

    /**
     * Reports every match of a phrase that starts a word of {@code text} (a position after a character that is
     * not a letter or digit, and not white space itself), position by position; phrases for which {@code wanted}
     * says false are not tried. A phrase sees nothing before its start (a look-behind finds the start of input).
     */
    void find(String text, IntPredicate wanted, Found found) {
        Matcher[] matchers = new Matcher[phrases.size()];
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || (i > 0 && Character.isLetterOrDigit(text.charAt(i - 1)))) {
                continue;
            }
            long[] possible = candidates(c, i + 1 < n ? text.charAt(i + 1) : END);
            for (int word = 0; word < possible.length; word++) {
                for (long bits = possible[word]; bits != 0; bits &= bits - 1) {
                    int phrase = word * 64 + Long.numberOfTrailingZeros(bits);
                    if (!wanted.test(phrase)) {
                        continue;
                    }
                    Matcher m = matchers[phrase];
                    if (m == null) {
                        m = phrases.get(phrase).matcher(text);
                        m.useAnchoringBounds(false); // ^ means the start of a line, not where we begin to look
                        matchers[phrase] = m;
                    }
                    m.region(i, n);
                    if (m.lookingAt()) {
                        found.at(phrase, m.group());
                    }
                }
            }
        }
    }

    /** The phrases that can start with {@code first} followed by {@code second} ({@link #END}: nothing). */
    private long[] candidates(char first, int second) {
        if (first < 128 && (second < 128 || second == END)) {
            int slot = first * KINDS + (second == END ? 128 : second);
            long[] known = asciiPairs.get(slot);
            if (known == null) {
                known = probe(first, second);
                asciiPairs.set(slot, known); // two threads may both probe: the same answer either way
            }
            return known;
        }
        long key = ((long) first << 32) | second;
        long[] known = otherPairs.get(key);
        if (known == null) {
            known = probe(first, second);
            if (otherPairs.size() < MAX_OTHER_PAIRS) {
                otherPairs.put(key, known);
            }
        }
        return known;
    }

    private long[] probe(char first, int second) {
        long[] bits = new long[(phrases.size() + 63) / 64];
        String start = second == END ? String.valueOf(first) : "" + first + (char) second;
        for (int p = 0; p < phrases.size(); p++) {
            // after a line break, so that a phrase anchored at the start of a line is judged like the others
            Matcher m = phrases.get(p).matcher("\n" + start);
            m.useAnchoringBounds(false);
            m.region(1, start.length() + 1);
            if (m.lookingAt() || m.hitEnd()) {
                bits[p / 64] |= 1L << (p % 64);
            }
        }
        return bits;
    }
}

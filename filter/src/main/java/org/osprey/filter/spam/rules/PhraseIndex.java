package org.osprey.filter.spam.rules;

import java.util.List;
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
    /** Characters are told apart from ' ' to '~'; anything else counts as one more kind, and the end as another. */
    private static final int FIRST = ' ';
    private static final int PRINTABLE = '~' - ' ' + 1;
    private static final int OTHER = PRINTABLE;
    private static final int END = PRINTABLE + 1;
    private static final int KINDS = PRINTABLE + 2;

    private final List<Pattern> phrases;
    private final AtomicReferenceArray<long[]> candidates = new AtomicReferenceArray<>(KINDS * KINDS);

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
     * not a letter or digit, and not white space itself), phrase by phrase in text order; phrases for which
     * {@code wanted} says false are not tried.
     */
    void find(String text, IntPredicate wanted, Found found) {
        Matcher[] matchers = new Matcher[phrases.size()];
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || (i > 0 && Character.isLetterOrDigit(text.charAt(i - 1)))) {
                continue;
            }
            long[] possible = candidates(kind(c), i + 1 < n ? kind(text.charAt(i + 1)) : END);
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

    private static int kind(char c) {
        return c >= FIRST && c <= '~' ? c - FIRST : OTHER;
    }

    private long[] candidates(int first, int second) {
        int slot = first * KINDS + second;
        long[] known = candidates.get(slot);
        if (known == null) {
            known = probe(sample(first), second == END ? "" : sample(second));
            candidates.set(slot, known); // two threads may both probe: the same answer either way
        }
        return known;
    }

    private static String sample(int kind) {
        return kind == OTHER ? "\u00e9" : String.valueOf((char) (kind + FIRST));
    }

    private long[] probe(String first, String second) {
        long[] bits = new long[(phrases.size() + 63) / 64];
        String start = first + second;
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

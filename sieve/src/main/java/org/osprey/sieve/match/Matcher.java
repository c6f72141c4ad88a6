package org.osprey.sieve.match;

import java.util.List;

/**
 * One comparison setting of a test: comparator, match type and, for :count and :value, the relation. It answers
 * whether a value matches a key and, for :matches and :regex, what was captured.
 */
public record Matcher(Comparator comparator, MatchType type, Relation relation) {
    /** The default of every test: {@code :is} with {@code i;ascii-casemap} (RFC 5228 §2.7.1, §2.7.3). */
    public static final Matcher DEFAULT = new Matcher(Comparator.ASCII_CASEMAP, MatchType.IS, null);

    private static final String[] MATCHED = new String[0];

    /** Prepares a key (see {@link Key#prepare}). */
    public Key prepare(String text) {
        return Key.prepare(text, type, comparator);
    }

    /**
     * Compares one value with one key (not for :count, see {@link #countMatches}). Returns null for no match,
     * else the captures of :matches / :regex (index 0 the matched text), or an empty array for the other types.
     */
    public String[] match(String value, Key key, Budget budget) {
        return switch (type) {
            case IS -> comparator.equal(value, ((Key.Plain) key).text()) ? MATCHED : null;
            case CONTAINS -> {
                budget.tick();
                yield comparator.containsFolded(value, ((Key.Plain) key).folded()) ? MATCHED : null;
            }
            case VALUE -> relation.holds(comparator.compare(value, ((Key.Plain) key).text())) ? MATCHED : null;
            case MATCHES -> ((Key.Wildcard) key).glob().match(value, budget);
            case REGEX -> regex(((Key.Regex) key).pattern(), value, budget);
            case COUNT -> throw new IllegalStateException(":count compares counts, not values");
        };
    }

    /** RFC 5231 §4.2: the number of entities, as a decimal string, related to the key with the comparator. */
    public boolean countMatches(int count, Key key) {
        return relation.holds(comparator.compare(Integer.toString(count), ((Key.Plain) key).text()));
    }

    /** Whether any of the keys relates to the count. */
    public boolean countMatchesAny(int count, List<Key> keys) {
        for (Key key : keys) {
            if (countMatches(count, key)) {
                return true;
            }
        }
        return false;
    }

    private static String[] regex(java.util.regex.Pattern pattern, String value, Budget budget) {
        java.util.regex.Matcher m = pattern.matcher(new TimedText(value, budget));
        if (!m.find()) {
            return null;
        }
        String[] captures = new String[m.groupCount() + 1];
        for (int g = 0; g <= m.groupCount(); g++) {
            String group = m.group(g);
            captures[g] = group == null ? "" : group;
        }
        return captures;
    }

    /** The value as the regex engine reads it: every character read counts against the budget. */
    private record TimedText(String text, Budget budget) implements CharSequence {
        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            budget.tick();
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new TimedText(text.substring(start, end), budget);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}

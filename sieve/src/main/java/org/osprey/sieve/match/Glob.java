package org.osprey.sieve.match;

/**
 * A {@code :matches} pattern (RFC 5228 §2.7.1): "*" matches any run of characters, "?" one character (one code
 * point), a backslash makes the next character literal. Matching is anchored at both ends and compares literals
 * through the comparator's folding. Each wildcard captures what it matched, as little as possible (RFC 5229 §3.2),
 * so ${1}, ${2}, ... can refer to them.
 *
 * <p>The matcher is the linear-backtracking wildcard algorithm: on a mismatch only the most recent "*" grows, which
 * finds a match whenever one exists and gives the same captures as shortest-first backtracking, in O(n·m) steps at
 * worst instead of exponential time.
 */
public final class Glob {
    private static final byte LITERAL = 0;
    private static final byte ONE = 1;
    private static final byte ANY = 2;

    private final byte[] kinds;
    private final char[] literals;
    private final int[] wildcard;
    private final int wildcards;
    private final Comparator comparator;

    private Glob(byte[] kinds, char[] literals, int[] wildcard, int wildcards, Comparator comparator) {
        this.kinds = kinds;
        this.literals = literals;
        this.wildcard = wildcard;
        this.wildcards = wildcards;
        this.comparator = comparator;
    }

    public static Glob compile(String pattern, Comparator comparator) {
        int n = pattern.length();
        byte[] kinds = new byte[n];
        char[] literals = new char[n];
        int[] wildcard = new int[n];
        int size = 0;
        int wildcards = 0;
        for (int i = 0; i < n; i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < n) {
                kinds[size] = LITERAL;
                literals[size++] = comparator.fold(pattern.charAt(++i));
            } else if (c == '*' || c == '?') {
                kinds[size] = c == '*' ? ANY : ONE;
                wildcard[size++] = wildcards++;
            } else {
                kinds[size] = LITERAL;
                literals[size++] = comparator.fold(c);
            }
        }
        return new Glob(java.util.Arrays.copyOf(kinds, size), java.util.Arrays.copyOf(literals, size),
                java.util.Arrays.copyOf(wildcard, size), wildcards, comparator);
    }

    /**
     * Matches the whole value. Returns null when it does not match, else the captures: index 0 the whole value,
     * then one entry per wildcard in pattern order.
     */
    public String[] match(String value, Budget budget) {
        int n = value.length();
        int m = kinds.length;
        int[] start = new int[wildcards];
        int[] end = new int[wildcards];
        int p = 0;
        int s = 0;
        int starP = -1;
        int starS = 0;
        while (s < n) {
            budget.tick();
            if (p < m && kinds[p] == ONE) {
                int w = wildcard[p++];
                start[w] = s;
                s = step(value, s);
                end[w] = s;
            } else if (p < m && kinds[p] == LITERAL && literals[p] == comparator.fold(value.charAt(s))) {
                p++;
                s++;
            } else if (p < m && kinds[p] == ANY) {
                starP = p;
                starS = s;
                int w = wildcard[p++];
                start[w] = s;
                end[w] = s;
            } else if (starP >= 0) {
                starS = step(value, starS);
                end[wildcard[starP]] = starS;
                p = starP + 1;
                s = starS;
            } else {
                return null;
            }
        }
        while (p < m && kinds[p] == ANY) {
            int w = wildcard[p++];
            start[w] = s;
            end[w] = s;
        }
        if (p != m) {
            return null;
        }
        String[] captures = new String[wildcards + 1];
        captures[0] = value;
        for (int w = 0; w < wildcards; w++) {
            captures[w + 1] = value.substring(start[w], end[w]);
        }
        return captures;
    }

    /** The index after the code point at {@code s}: "?" and a growing "*" never split a surrogate pair. */
    private static int step(String value, int s) {
        return Character.isHighSurrogate(value.charAt(s)) && s + 1 < value.length()
                && Character.isLowSurrogate(value.charAt(s + 1)) ? s + 2 : s + 1;
    }
}

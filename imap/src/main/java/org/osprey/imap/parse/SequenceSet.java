package org.osprey.imap.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * A sequence set (RFC 3501 §9 {@code sequence-set}) of message sequence numbers or UIDs, kept symbolic: {@code *}
 * ({@link #STAR}, "the largest number in use") and {@code $} (RFC 5182, "the result saved by the last SEARCH ...
 * RETURN (SAVE)", {@link #savedResult()}) are resolved by the processor against the selected mailbox, since only it
 * knows their values. Ranges are kept as written: {@code 5:2} and {@code 7:*} are valid (RFC 3501 §9: the order of a
 * range does not matter, and {@code *} may be smaller than the other end).
 *
 * @param ranges      the numeric ranges, in the client's order (may be empty only when {@code savedResult})
 * @param savedResult true when {@code $} occurred
 */
public record SequenceSet(List<Range> ranges, boolean savedResult) {
    /** Stands for {@code *} in a range. */
    public static final long STAR = -1;
    /** The largest nz-number (RFC 3501: 32-bit unsigned). */
    public static final long MAX_NUMBER = 0xFFFF_FFFFL;

    /** Just {@code $}. */
    public static final SequenceSet SAVED = new SequenceSet(List.of(), true);

    public SequenceSet {
        ranges = List.copyOf(ranges);
        if (ranges.isEmpty() && !savedResult) {
            throw new IllegalArgumentException("empty sequence set");
        }
    }

    /** One range; each end is a number 1..{@link #MAX_NUMBER} or {@link #STAR}. */
    public record Range(long first, long last) {
        public Range {
            if (!valid(first) || !valid(last)) {
                throw new IllegalArgumentException("sequence number out of range");
            }
        }

        private static boolean valid(long n) {
            return n == STAR || (n >= 1 && n <= MAX_NUMBER);
        }

        /** The smaller end once {@code *} stands for {@code largest}. */
        public long low(long largest) {
            return Math.min(resolve(first, largest), resolve(last, largest));
        }

        /** The larger end once {@code *} stands for {@code largest}. */
        public long high(long largest) {
            return Math.max(resolve(first, largest), resolve(last, largest));
        }

        public boolean contains(long n, long largest) {
            return n >= low(largest) && n <= high(largest);
        }

        private static long resolve(long n, long largest) {
            return n == STAR ? largest : n;
        }

        @Override
        public String toString() {
            String a = first == STAR ? "*" : Long.toString(first);
            return first == last ? a : a + ":" + (last == STAR ? "*" : Long.toString(last));
        }
    }

    public static SequenceSet of(long first, long last) {
        return new SequenceSet(List.of(new Range(first, last)), false);
    }

    public static SequenceSet of(long number) {
        return of(number, number);
    }

    /**
     * Parses {@code text} as a sequence set with at most {@code maxRanges} ranges, {@code *} and {@code $} allowed.
     * Throws {@link ImapParseException} for anything else ({@code 0}, {@code 1:}, {@code *:}, {@code 1,,2}).
     */
    public static SequenceSet parse(String text, int maxRanges) {
        return parse(text, maxRanges, true, true);
    }

    static SequenceSet parse(String text, int maxRanges, boolean allowStar, boolean allowSaved) {
        List<Range> ranges = new ArrayList<>();
        boolean saved = false;
        int i = 0;
        int n = text.length();
        if (n == 0) {
            throw ImapParseException.bad("Missing sequence set");
        }
        while (true) {
            if (ranges.size() + (saved ? 1 : 0) >= maxRanges) {
                throw ImapParseException.bad("Too many ranges in sequence set (limit " + maxRanges + ")");
            }
            if (i < n && text.charAt(i) == '$') {
                if (!allowSaved) {
                    throw ImapParseException.bad("$ is not allowed here");
                }
                saved = true;
                i++;
            } else {
                long[] first = number(text, i, allowStar);
                i = (int) first[1];
                long last = first[0];
                if (i < n && text.charAt(i) == ':') {
                    long[] second = number(text, i + 1, allowStar);
                    i = (int) second[1];
                    last = second[0];
                }
                ranges.add(new Range(first[0], last));
            }
            if (i == n) {
                break;
            }
            if (text.charAt(i) != ',') {
                throw ImapParseException.bad("Invalid sequence set");
            }
            i++;
        }
        return new SequenceSet(ranges, saved);
    }

    /** Returns {value, next index}. */
    private static long[] number(String text, int start, boolean allowStar) {
        if (start < text.length() && text.charAt(start) == '*') {
            if (!allowStar) {
                throw ImapParseException.bad("* is not allowed here");
            }
            return new long[] {STAR, start + 1};
        }
        long value = 0;
        int i = start;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            value = value * 10 + (text.charAt(i) - '0');
            if (value > MAX_NUMBER) {
                throw ImapParseException.bad("Sequence number too large");
            }
            i++;
        }
        if (i == start) {
            throw ImapParseException.bad("Invalid sequence set");
        }
        if (value == 0) {
            throw ImapParseException.bad("Invalid sequence number 0");
        }
        return new long[] {value, i};
    }

    /** True when {@code *} occurs in a range. */
    public boolean usesStar() {
        return ranges.stream().anyMatch(r -> r.first == STAR || r.last == STAR);
    }

    /**
     * True when {@code n} is in one of the ranges, with {@code *} standing for {@code largest}. {@code $} is not
     * looked at: the processor substitutes the saved result first.
     */
    public boolean contains(long n, long largest) {
        for (Range range : ranges) {
            if (range.contains(n, largest)) {
                return true;
            }
        }
        return false;
    }

    /** The set in IMAP syntax, e.g. {@code 1:3,7,9:*} or {@code $}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Range range : ranges) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(range);
        }
        if (savedResult) {
            out.append(out.isEmpty() ? "$" : ",$");
        }
        return out.toString();
    }
}

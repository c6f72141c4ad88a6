package org.osprey.imap.parse;

/**
 * What one command may cost the server. Everything but APPEND's message is parsed in memory, so a command (its
 * lines plus its literals) is bounded by {@code maxCommandBytes}; search keys nest at most {@code maxDepth} deep
 * (parentheses, NOT and OR all count, so no input reaches a StackOverflowError); a sequence set has at most
 * {@code maxRanges} ranges.
 *
 * @param maxCommandBytes   lines (with their CRLF) plus in-memory literals of one command
 * @param maxDepth          nesting of search keys, at most {@link #MAX_DEPTH}; 64 leaves room for the long OR
 *                          chains clients build for "any of these addresses" searches
 * @param maxRanges         ranges in one sequence set
 * @param maxAppendBytes    the largest message APPEND takes (the APPENDLIMIT, RFC 7889); refused before reading
 * @param maxNonSyncLiteral the largest {@code {n+}} literal: {@code Long.MAX_VALUE} when LITERAL+ is advertised,
 *                          4096 when only LITERAL- is (RFC 7888 §4)
 * @param maxDrainBytes     how many bytes of refused non-synchronizing literals (which the client sends anyway) are
 *                          read and thrown away to stay in step; beyond this the error is fatal
 */
public record ParserLimits(int maxCommandBytes, int maxDepth, int maxRanges, long maxAppendBytes,
        long maxNonSyncLiteral, long maxDrainBytes) {

    /** The parser recurses once per level; this keeps any configuration far from the thread's stack size. */
    public static final int MAX_DEPTH = 1000;

    public static final ParserLimits DEFAULT =
            new ParserLimits(64 * 1024, 64, 10_000, 64L * 1024 * 1024, Long.MAX_VALUE, 1024 * 1024);

    public ParserLimits {
        if (maxCommandBytes < 1024 || maxDepth < 1 || maxDepth > MAX_DEPTH || maxRanges < 1 || maxAppendBytes < 0
                || maxNonSyncLiteral < 0 || maxDrainBytes < 0) {
            throw new IllegalArgumentException("invalid parser limits");
        }
    }

    public ParserLimits withMaxAppendBytes(long bytes) {
        return new ParserLimits(maxCommandBytes, maxDepth, maxRanges, bytes, maxNonSyncLiteral, maxDrainBytes);
    }

    public ParserLimits withMaxCommandBytes(int bytes) {
        return new ParserLimits(bytes, maxDepth, maxRanges, maxAppendBytes, maxNonSyncLiteral, maxDrainBytes);
    }

    public ParserLimits withMaxNonSyncLiteral(long bytes) {
        return new ParserLimits(maxCommandBytes, maxDepth, maxRanges, maxAppendBytes, bytes, maxDrainBytes);
    }
}

package org.osprey.sieve.match;

/**
 * How a value is compared with a key: {@code :is}, {@code :contains}, {@code :matches} (RFC 5228 §2.7.1),
 * {@code :regex} (draft-ietf-sieve-regex), {@code :count} and {@code :value} (RFC 5231 §4).
 */
public enum MatchType {
    IS, CONTAINS, MATCHES, REGEX, COUNT, VALUE;

    /** The tag that selects this match type. */
    public String tag() {
        return ":" + name().toLowerCase(java.util.Locale.ROOT);
    }
}

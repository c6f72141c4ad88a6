package org.osprey.sieve.match;

import java.util.regex.Pattern;

/**
 * A key prepared for one match type and comparator, so that constant keys are folded, turned into a {@link Glob}
 * or compiled as a regular expression once, when the script is compiled, and not at every message.
 */
public sealed interface Key {
    /** For :is, :contains, :value and :count: the key as written and as the comparator folds it. */
    record Plain(String text, String folded) implements Key {
    }

    record Wildcard(Glob glob) implements Key {
    }

    record Regex(Pattern pattern) implements Key {
    }

    /**
     * Prepares {@code text} as a key; a :regex key that is not a valid POSIX extended regular expression is an
     * IllegalArgumentException saying why.
     */
    static Key prepare(String text, MatchType type, Comparator comparator) {
        return switch (type) {
            case MATCHES -> new Wildcard(Glob.compile(text, comparator));
            case REGEX -> new Regex(PosixRegex.compile(text, comparator));
            default -> new Plain(text, comparator.fold(text));
        };
    }
}

package org.osprey.sieve.match;

import java.util.Locale;
import java.util.Optional;

/** The relational operators of RFC 5231 §4, as in {@code :value "ge"}. */
public enum Relation {
    GT, GE, LT, LE, EQ, NE;

    public static Optional<Relation> of(String name) {
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether a comparison result (negative, zero, positive) satisfies the relation. */
    public boolean holds(int comparison) {
        return switch (this) {
            case GT -> comparison > 0;
            case GE -> comparison >= 0;
            case LT -> comparison < 0;
            case LE -> comparison <= 0;
            case EQ -> comparison == 0;
            case NE -> comparison != 0;
        };
    }
}

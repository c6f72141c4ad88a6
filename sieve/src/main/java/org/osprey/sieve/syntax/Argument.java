package org.osprey.sieve.syntax;

import java.util.List;

/** An argument of a command or test (RFC 5228 §8.2): a tag, a number or a string list. */
public sealed interface Argument {
    Position position();

    /** ":name", lower-cased, without the colon. */
    record Tag(String name, Position position) implements Argument {
    }

    record Numeric(long value, Position position) implements Argument {
    }

    /** One string, or a bracketed list ({@code list} true) of one or more. */
    record Strings(List<StringLiteral> values, boolean list, Position position) implements Argument {
        public Strings {
            values = List.copyOf(values);
        }
    }
}

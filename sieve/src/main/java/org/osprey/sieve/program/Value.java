package org.osprey.sieve.program;

import java.util.List;

/**
 * A string argument after compilation: literal text and, when the script requires "variables", references to
 * variables to be expanded when the command runs (RFC 5229 §3). {@code source} is the string as written (escapes
 * and encoded characters resolved, variables not expanded), which vacation hashes for its handle.
 */
public record Value(String source, List<Part> parts) {
    public Value {
        parts = List.copyOf(parts);
    }

    public static Value of(String text) {
        return new Value(text, text.isEmpty() ? List.of() : List.of(new Part.Text(text)));
    }

    /** True when no variable is referenced: the value is the same at every run ("constant string", RFC 5229 §3). */
    public boolean isConstant() {
        return parts.size() <= 1 && (parts.isEmpty() || parts.getFirst() instanceof Part.Text);
    }

    /** The text of a constant value. */
    public String constant() {
        if (!isConstant()) {
            throw new IllegalStateException("not a constant string: " + source);
        }
        return parts.isEmpty() ? "" : ((Part.Text) parts.getFirst()).text();
    }

    /** A piece of a value. */
    public sealed interface Part {
        record Text(String text) implements Part {
        }

        /** ${name} or ${global.name}; names are lower-cased, they are case-insensitive. */
        record Variable(VariableName name) implements Part {
        }

        /** ${0} .. ${n}: what the last successful :matches or :regex captured (RFC 5229 §3.2). */
        record MatchVariable(int index) implements Part {
        }
    }
}

package org.osprey.sieve.syntax;

import org.osprey.sieve.SieveException;

/** A place in a script: 1-based line and column (columns count characters). */
public record Position(int line, int column) {
    /** An error at this place. */
    public SieveException error(String detail) {
        return new SieveException(line, column, detail);
    }

    @Override
    public String toString() {
        return "line " + line + ", column " + column;
    }
}

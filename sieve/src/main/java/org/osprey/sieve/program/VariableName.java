package org.osprey.sieve.program;

/**
 * A variable: local to the running script, or global, i.e. shared with the scripts it includes and that include
 * it (RFC 6609 §3.4). The name is lower-case: variable names are case-insensitive (RFC 5229 §3).
 */
public record VariableName(boolean global, String name) {
    @Override
    public String toString() {
        return global ? "global." + name : name;
    }
}

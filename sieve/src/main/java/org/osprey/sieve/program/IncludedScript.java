package org.osprey.sieve.program;

/**
 * What an include resolved to when the including script was compiled. Missing and broken scripts are errors only
 * when the include actually runs (RFC 6609 §3.1: not at upload time), and a missing one not even then when the
 * include is {@code :optional}.
 */
public sealed interface IncludedScript {
    record Found(ScriptUnit unit) implements IncludedScript {
    }

    record Missing() implements IncludedScript {
    }

    /** Could not be read or does not compile; {@code problem} says why. */
    record Broken(String problem) implements IncludedScript {
    }
}

package org.osprey.sieve.program;

import java.util.List;
import org.osprey.sieve.match.Key;
import org.osprey.sieve.match.Matcher;

/**
 * The comparison of a test and its keys. A key is a {@link Value}; when the value is constant its prepared
 * {@link Key} is made at compile time ({@code prepared} non-null), otherwise when the test runs.
 */
public record MatchSpec(Matcher matcher, List<KeyValue> keys) {
    public MatchSpec {
        keys = List.copyOf(keys);
    }

    public record KeyValue(Value value, Key prepared) {
    }
}

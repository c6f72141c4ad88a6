package org.osprey.sieve.program;

import java.util.Map;
import org.osprey.sieve.ScriptRef;

/**
 * A compiled script with every script it includes, directly or not, resolved at compile time: the interpreter
 * never reads or parses a script. Include loops are not followed here; they are errors when they run.
 */
public record LinkedScript(ScriptUnit main, Map<ScriptRef, IncludedScript> library) {
    public LinkedScript {
        library = Map.copyOf(library);
    }
}

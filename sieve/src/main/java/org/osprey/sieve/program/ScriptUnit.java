package org.osprey.sieve.program;

import java.util.List;
import java.util.Set;
import org.osprey.sieve.ScriptRef;

/** One script compiled on its own: its identity, the extensions it required, its commands. Immutable. */
public record ScriptUnit(ScriptRef ref, Set<Capability> capabilities, List<Command> commands) {
    public ScriptUnit {
        capabilities = Set.copyOf(capabilities);
        commands = List.copyOf(commands);
    }
}

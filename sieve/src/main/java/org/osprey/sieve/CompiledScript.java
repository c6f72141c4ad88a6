package org.osprey.sieve;

import java.util.Set;
import java.util.TreeSet;
import org.osprey.sieve.program.Capability;
import org.osprey.sieve.program.IncludedScript;
import org.osprey.sieve.program.LinkedScript;

/**
 * A script parsed, checked and compiled once, with the scripts it includes: immutable, safe to cache and to
 * evaluate from many threads at once. A cache must drop it when the script or any of {@link #includes()} changes.
 */
public final class CompiledScript {
    private final LinkedScript linked;

    CompiledScript(LinkedScript linked) {
        this.linked = linked;
    }

    public String name() {
        return linked.main().ref().name();
    }

    public ScriptLocation location() {
        return linked.main().ref().location();
    }

    /** The extensions the script required, as capability strings. */
    public Set<String> extensions() {
        Set<String> names = new TreeSet<>();
        for (Capability capability : linked.main().capabilities()) {
            names.add(capability.identifier());
        }
        return names;
    }

    /** Every script named by an include, directly or through other includes, whether it exists or not. */
    public Set<ScriptRef> includes() {
        return linked.library().keySet();
    }

    /** The included scripts that do not exist or do not compile, with why: errors if their include runs. */
    public Set<String> includeProblems() {
        Set<String> problems = new TreeSet<>();
        linked.library().forEach((ref, script) -> {
            switch (script) {
                case IncludedScript.Missing missing -> problems.add(ref + " does not exist");
                case IncludedScript.Broken broken -> problems.add(ref + ": " + broken.problem());
                case IncludedScript.Found found -> {
                    // fine
                }
            }
        });
        return problems;
    }

    LinkedScript linked() {
        return linked;
    }

    @Override
    public String toString() {
        return "CompiledScript[" + linked.main().ref() + "]";
    }
}

package org.osprey.sieve;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osprey.sieve.compile.ScriptCompiler;
import org.osprey.sieve.program.Capability;
import org.osprey.sieve.program.Command;
import org.osprey.sieve.program.IncludedScript;
import org.osprey.sieve.program.LinkedScript;
import org.osprey.sieve.program.ScriptUnit;

/**
 * Compiles Sieve scripts (RFC 5228 and the extensions in {@link #CAPABILITIES}) into {@link CompiledScript}s.
 * Compiling checks everything that can be checked without a message: syntax, known commands and tests, required
 * extensions, argument types, constant addresses, header names, regular expressions; the first problem is a
 * {@link SieveException} with line and column. Included scripts are resolved and compiled too; one that is
 * missing, broken or part of a loop is not an error here but when its include runs (RFC 6609 §3.1). Thread-safe.
 */
public final class SieveCompiler {
    /** The capability strings Osprey implements, for ManageSieve's SIEVE capability and sieve check. */
    public static final List<String> CAPABILITIES =
            Arrays.stream(Capability.values()).map(Capability::identifier).toList();
    /** Scripts are at most this many characters (1 MiB). */
    public static final int MAX_SCRIPT_LENGTH = 1 << 20;
    /** At most this many different scripts are included into one (transitively). */
    public static final int MAX_INCLUDED_SCRIPTS = 255;

    /** Compiles a script of the user's; includes are left unresolved (they fail when they run, unless :optional). */
    public CompiledScript compile(String name, String text) throws SieveException {
        return compile(ScriptLocation.PERSONAL, name, text, IncludeResolver.NONE);
    }

    /** Compiles a script of the user's, resolving its includes with {@code includes}. */
    public CompiledScript compile(String name, String text, IncludeResolver includes) throws SieveException {
        return compile(ScriptLocation.PERSONAL, name, text, includes);
    }

    /** Compiles a script living at {@code location} (a global before/after script is {@link ScriptLocation#GLOBAL}). */
    public CompiledScript compile(ScriptLocation location, String name, String text, IncludeResolver includes)
            throws SieveException {
        ScriptUnit main = unit(new ScriptRef(location, name), text);
        Map<ScriptRef, IncludedScript> library = new LinkedHashMap<>();
        Deque<ScriptUnit> pending = new ArrayDeque<>(List.of(main));
        while (!pending.isEmpty()) {
            for (ScriptRef ref : includedBy(pending.poll().commands(), new java.util.ArrayList<>())) {
                if (library.containsKey(ref) || ref.equals(main.ref())) {
                    continue;
                }
                if (library.size() >= MAX_INCLUDED_SCRIPTS) {
                    library.put(ref, new IncludedScript.Broken("more than " + MAX_INCLUDED_SCRIPTS
                            + " scripts included"));
                    continue;
                }
                IncludedScript resolved = resolve(ref, includes);
                library.put(ref, resolved);
                if (resolved instanceof IncludedScript.Found found) {
                    pending.add(found.unit());
                }
            }
        }
        return new CompiledScript(new LinkedScript(main, library));
    }

    private static ScriptUnit unit(ScriptRef ref, String text) throws SieveException {
        if (text.length() > MAX_SCRIPT_LENGTH) {
            throw new SieveException(1, 1, "script is larger than " + MAX_SCRIPT_LENGTH + " characters");
        }
        return ScriptCompiler.compile(ref, text);
    }

    private static IncludedScript resolve(ScriptRef ref, IncludeResolver includes) {
        Optional<String> text;
        try {
            text = includes.resolve(ref.location(), ref.name());
        } catch (IOException e) {
            return new IncludedScript.Broken("cannot be read: " + e.getMessage());
        }
        if (text.isEmpty()) {
            return new IncludedScript.Missing();
        }
        try {
            return new IncludedScript.Found(unit(ref, text.get()));
        } catch (SieveException e) {
            return new IncludedScript.Broken(e.getMessage());
        }
    }

    private static List<ScriptRef> includedBy(List<Command> commands, List<ScriptRef> into) {
        for (Command command : commands) {
            if (command instanceof Command.Include include) {
                into.add(include.script());
            } else if (command instanceof Command.If conditional) {
                for (Command.Branch branch : conditional.branches()) {
                    includedBy(branch.block(), into);
                }
                includedBy(conditional.otherwise(), into);
            }
        }
        return into;
    }
}

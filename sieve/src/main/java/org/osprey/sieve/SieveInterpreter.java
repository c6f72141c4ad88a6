package org.osprey.sieve;

import java.util.ArrayList;
import java.util.List;
import org.osprey.sieve.eval.Evaluation;
import org.osprey.sieve.program.LinkedScript;

/**
 * Runs compiled scripts on a message and says what to do with it, without doing any of it. Scripts run in the
 * order given (global before-scripts, the user's script, global after-scripts); the next runs only while the
 * keep is in effect, and "keep" in all but the last only means "go on" (as Pigeonhole's sieve_before/sieve_after;
 * to end the sequence a script cancels the keep: "discard; stop;" or "fileinto ...; stop;"). Never throws for
 * anything a script or a message does: a runtime error, a limit or the time budget gives a result that keeps the
 * message in INBOX and says why (the actions of scripts before the failing one stay, as in Pigeonhole).
 * Thread-safe; one evaluation reads the message header once and the body only if a body test needs it.
 */
public final class SieveInterpreter {
    public SieveResult evaluate(CompiledScript script, MessageContext context) {
        return evaluate(List.of(script), context);
    }

    public SieveResult evaluate(List<CompiledScript> scripts, MessageContext context) {
        List<LinkedScript> linked = new ArrayList<>(scripts.size());
        for (CompiledScript script : scripts) {
            linked.add(script.linked());
        }
        Evaluation.Outcome outcome = Evaluation.run(linked, context);
        return new SieveResult(outcome.actions(), outcome.editCounts(), outcome.edits(), outcome.implicitKeep(),
                outcome.errors(), outcome.notes(), outcome.duplicateMarks());
    }
}

package org.osprey.sieve.eval;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osprey.sieve.Action;
import org.osprey.sieve.DuplicateMark;
import org.osprey.sieve.HeaderEdit;
import org.osprey.sieve.MessageContext;
import org.osprey.sieve.match.Budget;
import org.osprey.sieve.message.MessageView;
import org.osprey.sieve.program.LinkedScript;

/**
 * One evaluation: a sequence of scripts (global "before" scripts, the user's script, global "after" scripts) run
 * for one message. As Pigeonhole runs sieve_before/sieve_after, and as draft-degener-sieve-multiscript describes,
 * the next script runs only while the keep is in effect, and then that keep means "go on" rather than a delivery
 * of its own; "stop" ends only its own script; variables do not carry over, the implicit keep's flags do. A
 * runtime error, a limit reached, the time budget exhausted or a message that cannot be read end the evaluation:
 * the failing script's actions are dropped, those of the scripts before it stay, and the message is kept in INBOX
 * (RFC 5228 §2.10.6), the reason in {@link Outcome#errors()}.
 */
public final class Evaluation {
    final MessageContext context;
    final Budget budget;
    final MessageView message;
    final ActionSet actions;
    final OffsetDateTime now;
    final List<String> notes = new ArrayList<>();
    private final Map<String, Boolean> duplicateAnswers = new HashMap<>();
    private final Map<String, DuplicateMark> duplicateMarks = new LinkedHashMap<>();
    FlagSet internalFlags = new FlagSet();

    private Evaluation(MessageContext context) {
        this.context = context;
        this.budget = Budget.ofNanos(context.limits().maxTime().toNanos());
        this.message = new MessageView(context.message(), budget);
        this.actions = new ActionSet(context.limits());
        // RFC 5260 §5: every currentdate test of an execution sees the same moment
        this.now = OffsetDateTime.now(context.clock());
    }

    /** What an evaluation decided; {@code editCounts} has one entry per action. */
    public record Outcome(List<Action> actions, List<Integer> editCounts, List<HeaderEdit> edits,
                          boolean implicitKeep, List<String> errors, List<String> notes,
                          List<DuplicateMark> duplicateMarks) {
    }

    public static Outcome run(List<LinkedScript> scripts, MessageContext context) {
        Evaluation evaluation = new Evaluation(context);
        String current = scripts.isEmpty() ? "" : scripts.getFirst().main().ref().name();
        ActionSet.Snapshot before = evaluation.actions.snapshot();
        try {
            for (int i = 0; i < scripts.size(); i++) {
                LinkedScript script = scripts.get(i);
                current = script.main().ref().name();
                before = evaluation.actions.snapshot();
                new ScriptRun(evaluation, script).run();
                if (i < scripts.size() - 1) {
                    if (!evaluation.actions.keepInEffect()) {
                        break;
                    }
                    evaluation.actions.continueWithNextScript();
                }
            }
            ActionSet.Outcome done = evaluation.actions.finish(evaluation.internalFlags.toSet());
            return new Outcome(done.actions(), done.editCounts(), done.edits(), done.implicitKeep(), List.of(),
                    List.copyOf(evaluation.notes), List.copyOf(evaluation.duplicateMarks.values()));
        } catch (ScriptRun.Failure failure) {
            return failed(evaluation, before, "script \"" + failure.script() + "\": " + failure.error().position()
                    + ": " + failure.error().getMessage());
        } catch (Budget.Exhausted e) {
            return failed(evaluation, before, "script \"" + current + "\": the evaluation took longer than "
                    + context.limits().maxTime().toMillis() + " ms");
        } catch (UncheckedIOException e) {
            return failed(evaluation, before, e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            // a bug of ours must not cost a message either
            return failed(evaluation, before, "script \"" + current + "\": internal error of the Sieve interpreter: "
                    + e);
        }
    }

    /**
     * RFC 5228 §2.10.6: on an error, the implicit keep (original header, no flags) after what earlier scripts of
     * the sequence decided. No duplicate id is marked: the execution did not finish (RFC 7352 §3).
     */
    private static Outcome failed(Evaluation evaluation, ActionSet.Snapshot before, String error) {
        ActionSet.Outcome kept = evaluation.actions.failed(before);
        return new Outcome(kept.actions(), kept.editCounts(), kept.edits(), true, List.of(error),
                List.copyOf(evaluation.notes), List.of());
    }

    /**
     * RFC 7352 §3: whether (handle, id) was seen by an earlier execution; the same question gets the same answer
     * all through this one, and the id is marked for recording after delivery.
     */
    boolean duplicate(String handle, String id, Duration period, boolean last) {
        String key = handle + "\u0000" + id;
        Boolean answer = duplicateAnswers.get(key);
        if (answer == null) {
            answer = context.duplicates().isDuplicate(handle, id);
            duplicateAnswers.put(key, answer);
        }
        duplicateMarks.put(key, new DuplicateMark(handle, id, period, last)); // the last evaluated arguments win
        return answer;
    }
}

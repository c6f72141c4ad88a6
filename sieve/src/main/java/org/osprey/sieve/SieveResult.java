package org.osprey.sieve;

import java.util.List;

/**
 * What an evaluation decided. {@link #actions()} is everything to carry out, in the order decided, the implicit
 * keep included (last) when {@link #implicitKeep()}. When the evaluation failed ({@link #errors()} not empty) the
 * actions are a keep into INBOX with the original message, after whatever scripts that ran before the failing one
 * in a sequence decided: mail is never lost to a script.
 */
public final class SieveResult {
    private final List<Action> actions;
    private final List<Integer> editCounts;
    private final List<HeaderEdit> headerEdits;
    private final boolean implicitKeep;
    private final List<String> errors;
    private final List<String> notes;
    private final List<DuplicateMark> duplicateMarks;

    SieveResult(List<Action> actions, List<Integer> editCounts, List<HeaderEdit> headerEdits, boolean implicitKeep,
                List<String> errors, List<String> notes, List<DuplicateMark> duplicateMarks) {
        this.actions = List.copyOf(actions);
        this.editCounts = List.copyOf(editCounts);
        this.headerEdits = List.copyOf(headerEdits);
        this.implicitKeep = implicitKeep;
        this.errors = List.copyOf(errors);
        this.notes = List.copyOf(notes);
        this.duplicateMarks = List.copyOf(duplicateMarks);
    }

    public List<Action> actions() {
        return actions;
    }

    /** Whether the last action is the implicit keep (RFC 5228 §2.10.2) rather than something a script asked for. */
    public boolean implicitKeep() {
        return implicitKeep;
    }

    /** Every header edit of the evaluation, in order. */
    public List<HeaderEdit> headerEdits() {
        return headerEdits;
    }

    /**
     * The header edits to apply to the message stored or sent by {@code actions().get(index)}: those made before
     * that action (last) ran (RFC 5293 §7); all of them for the implicit keep.
     */
    public List<HeaderEdit> editsFor(int index) {
        return headerEdits.subList(0, editCounts.get(index));
    }

    /** The runtime errors (at most one: the first stops the evaluation); empty when the scripts ran through. */
    public List<String> errors() {
        return errors;
    }

    public boolean failed() {
        return !errors.isEmpty();
    }

    /** Things worth a log line that are no errors, such as why a vacation reply was not sent. */
    public List<String> notes() {
        return notes;
    }

    /** The unique ids the duplicate test looked at: record them once the message is delivered (RFC 7352 §3). */
    public List<DuplicateMark> duplicateMarks() {
        return duplicateMarks;
    }

    @Override
    public String toString() {
        return "SieveResult[actions=" + actions + ", implicitKeep=" + implicitKeep + ", edits=" + headerEdits
                + ", errors=" + errors + ", notes=" + notes + "]";
    }
}

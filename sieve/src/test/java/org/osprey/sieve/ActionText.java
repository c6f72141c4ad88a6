package org.osprey.sieve;

import java.util.ArrayList;
import java.util.List;

/** Renders a result as the one-line-per-item text the conformance table expects. */
final class ActionText {
    private ActionText() {
    }

    static List<String> lines(SieveResult result) {
        List<String> lines = new ArrayList<>();
        for (String error : result.errors()) {
            lines.add("runtime-error: " + error);
        }
        List<Action> actions = result.actions();
        for (int i = 0; i < actions.size(); i++) {
            boolean implicit = result.implicitKeep() && i == actions.size() - 1;
            String edits = result.headerEdits().isEmpty() ? "" : " edits=" + result.editsFor(i).size();
            lines.add((implicit ? "implicit " : "") + action(actions.get(i)) + edits);
        }
        for (HeaderEdit edit : result.headerEdits()) {
            lines.add(switch (edit) {
                case HeaderEdit.AddHeader add -> "addheader" + (add.last() ? " last " : " ") + add.name() + ": "
                        + add.value();
                case HeaderEdit.DeleteHeader delete -> "deleteheader " + delete.name() + " #" + delete.occurrence();
            });
        }
        for (String note : result.notes()) {
            lines.add("note: " + note);
        }
        for (DuplicateMark mark : result.duplicateMarks()) {
            lines.add("duplicate-mark: " + (mark.handle().isEmpty() ? "" : mark.handle() + " ") + mark.id() + " "
                    + mark.period().toSeconds() + "s" + (mark.last() ? " last" : ""));
        }
        return lines;
    }

    static String action(Action action) {
        return switch (action) {
            case Action.Keep keep -> "keep" + flags(keep.flags());
            case Action.FileInto f -> "fileinto \"" + escape(f.folder()) + "\"" + flags(f.flags())
                    + (f.create() ? " create" : "");
            case Action.Redirect r -> "redirect " + r.address() + (r.copy() ? " copy" : "");
            case Action.Reject r -> "reject \"" + escape(r.reason()) + "\"";
            case Action.Ereject r -> "ereject \"" + escape(r.reason()) + "\"";
            case Action.Discard d -> "discard";
            case Action.Vacation v -> "vacation to=" + v.to() + " from=" + v.from() + " subject=\""
                    + escape(v.subject()) + "\" period=" + period(v.period().toSeconds())
                    + (v.mime() ? " mime" : "") + " body=\"" + escape(v.body()) + "\""
                    + (v.addresses().isEmpty() ? "" : " addresses=" + String.join(",", v.addresses()));
        };
    }

    private static String period(long seconds) {
        return seconds > 0 && seconds % 86400 == 0 ? seconds / 86400 + "d" : seconds + "s";
    }

    private static String flags(java.util.Set<String> flags) {
        return flags.isEmpty() ? "" : " flags=" + String.join(" ", flags);
    }

    private static String escape(String s) {
        return s.replace("\r\n", "\\n").replace("\n", "\\n");
    }
}

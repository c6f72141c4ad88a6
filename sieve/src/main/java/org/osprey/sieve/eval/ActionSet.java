package org.osprey.sieve.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.osprey.sieve.Action;
import org.osprey.sieve.HeaderEdit;
import org.osprey.sieve.SieveLimits;
import org.osprey.sieve.syntax.Position;

/**
 * The actions decided so far, across the scripts of one evaluation, and the implicit keep (RFC 5228 §2.10.2).
 * Storing twice into one mailbox stores once, with the flags of the last request (RFC 5228 §2.10.3, RFC 5232 §3);
 * keep and fileinto "INBOX" are the same mailbox; a second redirect to one address is dropped. Each action remembers
 * how many header edits were in effect when it last ran (RFC 5293 §7). Interactions that RFC 5429 §2.4 and RFC 5230
 * §4.7 forbid within one script are runtime errors, as are going past the limits.
 */
final class ActionSet {
    private final SieveLimits limits;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<HeaderEdit> edits = new ArrayList<>();
    private boolean implicitKeep = true;
    private int redirects;
    private boolean discarded;

    /** Per script: what RFC 5429 and RFC 5230 make incompatible is only checked within one script. */
    private boolean scriptRejected;
    private boolean scriptDelivered;
    private boolean scriptVacation;

    private record Entry(Action action, int edits) {
    }

    ActionSet(SieveLimits limits) {
        this.limits = limits;
    }

    void keep(Set<String> flags, Position at) {
        delivery(at);
        store("INBOX", new Action.Keep(flags), at);
        implicitKeep = false;
    }

    void fileInto(String folder, Set<String> flags, boolean create, boolean copy, Position at) {
        delivery(at);
        if (folder.equalsIgnoreCase("INBOX")) {
            Entry old = entries.get(key("INBOX"));
            // keep and fileinto "INBOX" are one delivery; the later flags win
            store("INBOX", old != null && old.action() instanceof Action.Keep ? new Action.Keep(flags)
                    : new Action.FileInto(folder, flags, create), at);
        } else {
            Entry old = entries.get(key(folder));
            boolean created = create || old != null && old.action() instanceof Action.FileInto f && f.create();
            store(folder, new Action.FileInto(folder, flags, created), at);
        }
        if (!copy) {
            implicitKeep = false;
        }
    }

    void redirect(String address, boolean copy, Position at) {
        delivery(at);
        String key = "redirect " + address.toLowerCase(Locale.ROOT);
        if (!entries.containsKey(key)) {
            if (++redirects > limits.maxRedirects()) {
                throw new RuntimeError(at, "too many redirects (at most " + limits.maxRedirects() + ")");
            }
            put(key, new Action.Redirect(address, copy), at);
        }
        if (!copy) {
            implicitKeep = false;
        }
    }

    void reject(String reason, boolean extended, Position at) {
        String name = extended ? "ereject" : "reject";
        if (entries.containsKey("reject")) {
            throw new RuntimeError(at, name + ": the message was rejected already (RFC 5429 allows one reject)");
        }
        if (scriptDelivered) {
            throw new RuntimeError(at, name + " cannot be combined with keep, fileinto or redirect");
        }
        if (scriptVacation) {
            throw new RuntimeError(at, name + " cannot be combined with vacation");
        }
        scriptRejected = true;
        put("reject", extended ? new Action.Ereject(reason) : new Action.Reject(reason), at);
        implicitKeep = false;
    }

    void discard() {
        discarded = true;
        implicitKeep = false;
    }

    /** Whether vacation may run now: once per script (RFC 5230 §4.7), never with reject. */
    void checkVacation(Position at) {
        if (scriptVacation) {
            throw new RuntimeError(at, "vacation can run only once");
        }
        if (scriptRejected) {
            throw new RuntimeError(at, "vacation cannot be combined with reject");
        }
        scriptVacation = true;
    }

    /** Adds the reply; false when an earlier script of the sequence has one already (the first one stays). */
    boolean vacation(Action.Vacation vacation, Position at) {
        if (entries.containsKey("vacation")) {
            return false;
        }
        put("vacation", vacation, at);
        return true;
    }

    void edit(HeaderEdit edit) {
        edits.add(edit);
    }

    boolean implicitKeep() {
        return implicitKeep;
    }

    /** Whether the keep is in effect after a script: implicit, or an explicit keep ran. */
    boolean keepInEffect() {
        return implicitKeep || entries.get(key("INBOX")) instanceof Entry e && e.action() instanceof Action.Keep;
    }

    /**
     * Between scripts of a sequence, a keep in effect means "go on with the next script" rather than a delivery of
     * its own (draft-degener-sieve-multiscript §3): the explicit keep is withdrawn and the implicit keep restored.
     */
    void continueWithNextScript() {
        Entry keep = entries.get(key("INBOX"));
        if (keep != null && keep.action() instanceof Action.Keep) {
            entries.remove(key("INBOX"));
        }
        implicitKeep = true;
        discarded = false;
        scriptRejected = false;
        scriptDelivered = false;
        scriptVacation = false;
    }

    /** The final actions, the implicit keep (with {@code keepFlags}) last when it applies. */
    Outcome finish(Set<String> keepFlags) {
        List<Action> actions = new ArrayList<>();
        List<Integer> editCounts = new ArrayList<>();
        for (Entry entry : entries.values()) {
            actions.add(entry.action());
            editCounts.add(entry.edits());
        }
        boolean anythingDone = actions.stream().anyMatch(a -> !(a instanceof Action.Vacation));
        if (implicitKeep) {
            actions.add(new Action.Keep(keepFlags));
            editCounts.add(edits.size());
        } else if (discarded && !anythingDone) {
            actions.add(new Action.Discard());
            editCounts.add(edits.size());
        }
        return new Outcome(actions, editCounts, List.copyOf(edits), implicitKeep);
    }

    record Outcome(List<Action> actions, List<Integer> editCounts, List<HeaderEdit> edits, boolean implicitKeep) {
    }

    /** The actions as they were when a script of the sequence started. */
    record Snapshot(Map<String, Entry> entries, int edits) {
    }

    Snapshot snapshot() {
        return new Snapshot(new LinkedHashMap<>(entries), edits.size());
    }

    /**
     * The outcome when a script failed: what the scripts before it decided stays (as Pigeonhole executes it before
     * the next script starts), what the failing script did is dropped, and the message is kept in INBOX without
     * flags and with its original header (RFC 5228 §2.10.6, RFC 5293 §7).
     */
    Outcome failed(Snapshot before) {
        List<Action> actions = new ArrayList<>();
        List<Integer> editCounts = new ArrayList<>();
        for (Entry entry : before.entries().values()) {
            actions.add(entry.action());
            editCounts.add(entry.edits());
        }
        actions.add(new Action.Keep(Set.of()));
        editCounts.add(0);
        return new Outcome(actions, editCounts, List.copyOf(edits.subList(0, before.edits())), true);
    }

    private void delivery(Position at) {
        if (scriptRejected) {
            throw new RuntimeError(at, "keep, fileinto and redirect cannot be combined with reject");
        }
        scriptDelivered = true;
    }

    private void store(String mailbox, Action action, Position at) {
        put(key(mailbox), action, at);
    }

    private static String key(String mailbox) {
        return "store " + (mailbox.equalsIgnoreCase("INBOX") ? "INBOX" : mailbox);
    }

    private void put(String key, Action action, Position at) {
        if (!entries.containsKey(key) && entries.size() >= limits.maxActions()) {
            throw new RuntimeError(at, "too many actions (at most " + limits.maxActions() + ")");
        }
        // a repeated action keeps its place; its latest arguments and header state win
        entries.put(key, new Entry(action, edits.size()));
    }
}

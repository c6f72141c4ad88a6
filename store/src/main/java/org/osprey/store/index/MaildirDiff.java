package org.osprey.store.index;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.osprey.store.MaildirNames;

/**
 * The difference between what the index knows and the names just read from new/ and cur/: messages renamed or
 * moved (another program changed their flags, or moved them to cur/), messages whose files are gone, and files
 * that are new. A pure function of its inputs; {@link FolderIndex} applies the result under its lock.
 */
final class MaildirDiff {
    private MaildirDiff() {
    }

    /** A file found in new/ or cur/ under its current name. */
    record Found(String name, String base, String info, boolean inNew) {
    }

    /** A known message seen under another name or in the other directory. */
    record Moved(MessageEntry entry, boolean inNew, String info) {
    }

    /**
     * @param moved    known messages under a new name or in the other directory, UID order
     * @param vanished known messages in a directory that was read but not found in it
     * @param added    files no message has, in name order (the name starts with the delivery time)
     */
    record Diff(List<Moved> moved, List<MessageEntry> vanished, List<Found> added) {
    }

    /** A name split at the info separator, or empty for a name that is no message. */
    static Optional<Found> found(String name, boolean inNew) {
        // Dot files are other programs' temporaries (".nfs…", editors); a line break could not be logged.
        if (name.isEmpty() || name.charAt(0) == '.' || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
            return Optional.empty();
        }
        int colon = name.indexOf(':');
        String base = colon < 0 ? name : name.substring(0, colon);
        String info = colon < 0 ? null : IndexLog.shareInfo(name.substring(colon + 1));
        return Optional.of(new Found(name, base, info, inNew));
    }

    /**
     * Compares the names read with the table. Most names are unchanged files, found by their whole name; only the
     * rest (new files, renamed ones) are looked at by base name. Where a message shows up twice (a move from new/
     * to cur/ during the read), cur/ wins. A null array is a directory that was not read (it did not change).
     */
    static Diff compare(MessageTable table, String[] newNames, String[] curNames) {
        var observed = new Observed(table);
        List<Found> unmatched = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            String[] names = pass == 0 ? newNames : curNames;
            boolean inNew = pass == 0;
            if (names == null) {
                continue;
            }
            for (String name : names) {
                MessageEntry e = table.byName(name);
                if (e == null) {
                    found(name, inNew).ifPresent(unmatched::add);
                } else {
                    observed.add(e, inNew, e.info());
                }
            }
        }
        Map<String, Found> added = new HashMap<>();
        if (!unmatched.isEmpty()) {
            Set<String> bases = new HashSet<>();
            unmatched.forEach(f -> bases.add(f.base()));
            Map<String, MessageEntry> known = new HashMap<>();
            for (int slot = 0; slot < table.slots(); slot++) {
                MessageEntry e = table.slot(slot);
                if (e != null && bases.contains(e.baseName())) {
                    known.put(e.baseName(), e);
                }
            }
            for (Found f : unmatched) {
                MessageEntry e = known.get(f.base());
                if (e != null) {
                    observed.add(e, f.inNew(), f.info());
                } else {
                    added.merge(f.base(), f, (first, second) -> second.inNew() ? first : second);
                }
            }
        }
        List<MessageEntry> vanished = new ArrayList<>();
        for (int slot = 0; slot < table.slots(); slot++) {
            MessageEntry e = table.slot(slot);
            if (e != null && !observed.seen.get(slot) && (e.inNew() ? newNames != null : curNames != null)) {
                vanished.add(e);
            }
        }
        List<Moved> movedList = new ArrayList<>(observed.moved.values());
        movedList.sort(Comparator.comparingLong(m -> m.entry().uid()));
        List<Found> addedList = new ArrayList<>(added.values());
        addedList.sort(Comparator.comparing(Found::base, MaildirNames.DELIVERY_ORDER)); // names start with the time
        return new Diff(movedList, vanished, addedList);
    }

    /** Where each known message was seen in one read; a sighting in cur/ beats one in new/. */
    private static final class Observed {
        final MessageTable table;
        final BitSet seen;
        final BitSet seenInCur;
        final Map<Integer, Moved> moved = new HashMap<>();

        Observed(MessageTable table) {
            this.table = table;
            seen = new BitSet(table.slots());
            seenInCur = new BitSet(table.slots());
        }

        void add(MessageEntry e, boolean inNew, String info) {
            int slot = table.slotOf(e.uid());
            seen.set(slot);
            if (inNew && seenInCur.get(slot)) {
                return;
            }
            if (!inNew) {
                seenInCur.set(slot);
            }
            if (e.inNew() == inNew && Objects.equals(e.info(), info)) {
                if (!moved.isEmpty()) { // the common case, unchanged with nothing moved, boxes nothing
                    moved.remove(slot);
                }
            } else {
                moved.put(slot, new Moved(e, inNew, info));
            }
        }
    }
}

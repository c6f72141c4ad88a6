package org.osprey.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.osprey.imap.parse.ImapCommand;
import org.osprey.imap.parse.SequenceSet;
import org.osprey.store.index.Changes;
import org.osprey.store.index.MessageEntry;

/**
 * QRESYNC (RFC 7162 §3.2): what a reconnecting client missed since the MODSEQ it remembers — the UIDs that
 * vanished (VANISHED (EARLIER)) and the messages whose flags changed — at SELECT and with UID FETCH ... VANISHED.
 */
final class Qresync {
    private final ImapSession session;
    private final SelectedFolder selected;

    Qresync(ImapSession session) {
        this.session = session;
        this.selected = session.selected;
    }

    void select(ImapCommand.Qresync params) throws IOException {
        if (params.uidValidity() != selected.uidValidity()) {
            return; // RFC 7162 §3.2.5.2: the client's cache is void; it resynchronizes by itself
        }
        SequenceSet known = params.knownUids().orElse(SequenceSet.of(1, SequenceSet.STAR));
        String vanished = vanishedSince(params.modSeq(), known);
        if (!vanished.isEmpty()) {
            session.out.untagged("VANISHED (EARLIER) " + vanished);
        }
        Changes changes = selected.index().changesSince(params.modSeq());
        for (MessageEntry entry : changes.changed()) {
            int p = selected.positionOf(entry.uid());
            if (p >= 0 && known.contains(entry.uid(), selected.uidNext() - 1)) {
                session.out.untagged((p + 1) + " FETCH (UID " + entry.uid() + " FLAGS "
                        + selected.flagList(selected.at(p)) + " MODSEQ (" + selected.at(p).modSeq() + "))");
            }
        }
    }

    /** The UIDs of {@code set} expunged after {@code modSeq}, as a sequence set ("" when none). */
    String vanishedSince(long modSeq, SequenceSet set) throws IOException {
        long largest = Math.max(0, selected.uidNext() - 1);
        Changes changes = selected.index().changesSince(modSeq);
        if (changes.expungedComplete()) {
            TreeSet<Long> gone = new TreeSet<>();
            for (long uid : changes.expunged()) {
                if (set.contains(uid, largest)) {
                    gone.add(uid);
                }
            }
            return UidSets.format(gone);
        }
        // the index forgot expunges that old: every UID of the set below UIDNEXT that is not here is gone
        List<long[]> gaps = new ArrayList<>();
        List<MessageEntry> present = selected.messages();
        for (SequenceSet.Range range : set.ranges()) {
            long low = Math.max(1, range.low(largest));
            long high = Math.min(range.high(largest), largest);
            long next = low;
            for (MessageEntry entry : present) {
                if (entry.uid() < next) {
                    continue;
                }
                if (entry.uid() > high) {
                    break;
                }
                if (entry.uid() > next) {
                    gaps.add(new long[] {next, entry.uid() - 1});
                }
                next = entry.uid() + 1;
            }
            if (next <= high) {
                gaps.add(new long[] {next, high});
            }
        }
        StringBuilder out = new StringBuilder();
        for (long[] gap : gaps) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(gap[0]);
            if (gap[1] != gap[0]) {
                out.append(':').append(gap[1]);
            }
        }
        return out.toString();
    }
}

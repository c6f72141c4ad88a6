package org.osprey.imap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.osprey.imap.parse.ImapCommand;
import org.osprey.imap.parse.SequenceSet;
import org.osprey.store.index.Copied;
import org.osprey.store.index.FlagMode;
import org.osprey.store.index.FolderIndex;
import org.osprey.store.index.FolderIndexes;
import org.osprey.store.index.MaildirFlags;
import org.osprey.store.index.MessageEntry;
import org.osprey.store.index.StoreResult;

/** The commands of the selected state that change messages: STORE, COPY, MOVE, EXPUNGE, UID EXPUNGE. */
final class MessageCommands {
    private final ImapSession session;
    private final SelectedFolder selected;

    MessageCommands(ImapSession session) {
        this.session = session;
        this.selected = session.selected;
    }

    String store(ImapCommand.Store c) throws ImapException, IOException {
        requireWritable();
        int[] positions = selected.positions(c.set(), c.uid());
        Set<String> flags = Flags.names(c.flags());
        try {
            MaildirFlags.validate(flags);
        } catch (IllegalArgumentException e) {
            throw ImapException.bad("Invalid flag: " + e.getMessage());
        }
        if (c.unchangedSince().isPresent()) {
            session.condstore = true; // RFC 7162 §3.1: a CONDSTORE-enabling command
        }
        FlagMode mode = switch (c.mode()) {
            case REPLACE -> FlagMode.SET;
            case ADD -> FlagMode.ADD;
            case REMOVE -> FlagMode.REMOVE;
        };
        StoreResult result;
        try {
            result = selected.index().storeFlags(selected.uids(positions), mode, flags,
                    c.unchangedSince().orElse(-1));
        } catch (IllegalArgumentException e) {
            throw ImapException.no("LIMIT", e.getMessage());
        }
        selected.replace(result.stored());
        for (MessageEntry entry : result.stored()) {
            int p = selected.positionOf(entry.uid());
            if (p < 0) {
                continue;
            }
            boolean changedNow = result.modSeq() > 0 && entry.modSeq() == result.modSeq();
            if (!c.silent()) {
                session.out.untagged((p + 1) + " FETCH (" + (c.uid() ? "UID " + entry.uid() + " " : "") + "FLAGS "
                        + selected.flagList(entry) + (session.condstore ? " MODSEQ (" + entry.modSeq() + ")" : "")
                        + ")");
            } else if (session.condstore && changedNow) {
                // RFC 7162 §3.1.3: even .SILENT reports the new MODSEQ
                session.out.untagged((p + 1) + " FETCH (" + (c.uid() ? "UID " + entry.uid() + " " : "")
                        + "MODSEQ (" + entry.modSeq() + "))");
            }
        }
        if (result.modSeq() > 0) {
            session.protocol.signals.changed(selected.directory);
        }
        session.sendUpdates(c.uid());
        if (!result.modified().isEmpty()) {
            List<Long> numbers = new ArrayList<>();
            for (long uid : result.modified()) {
                int p = selected.positionOf(uid);
                if (p >= 0) {
                    numbers.add(c.uid() ? uid : p + 1);
                }
            }
            return "OK [MODIFIED " + UidSets.format(new TreeSet<>(numbers)) + "] Conditional STORE failed";
        }
        return "OK " + c.name() + " completed";
    }

    String copy(SequenceSet set, boolean uid, String mailbox, boolean move) throws ImapException, IOException {
        if (move) {
            requireWritable();
        }
        Path target = session.mailboxes.existing(mailbox, true);
        int[] positions = selected.positions(set, uid);
        List<Long> uids = selected.uids(positions);
        long bytes = 0;
        for (int p : positions) {
            bytes += selected.at(p).size();
        }
        Quota quota = new Quota(session);
        boolean sameFolder = target.equals(selected.directory);
        if (!move || sameFolder) {
            quota.checkRoom(bytes, uids.size());
        }
        List<Copied> copied;
        long targetValidity;
        if (sameFolder) {
            copied = selected.index().copyTo(selected.index(), uids);
            targetValidity = selected.uidValidity();
        } else {
            try (FolderIndexes.Lease lease = session.protocol.indexes.acquire(target)) {
                copied = selected.index().copyTo(lease.index(), uids);
                targetValidity = lease.index().uidValidity();
            }
        }
        session.protocol.signals.changed(target);
        if (copied.isEmpty()) {
            if (!uids.isEmpty()) {
                throw ImapException.no("EXPUNGEISSUED", "Some of the requested messages no longer exist");
            }
            return session.ok(move ? "MOVE completed" : "COPY completed");
        }
        String copyUid = "COPYUID " + targetValidity + " "
                + UidSets.format(copied.stream().map(Copied::sourceUid).toList()) + " "
                + UidSets.format(copied.stream().map(Copied::targetUid).toList());
        long copiedBytes = 0;
        Set<Long> copiedSources = new HashSet<>();
        for (Copied pair : copied) {
            copiedSources.add(pair.sourceUid());
        }
        for (int p : positions) {
            if (copiedSources.contains(selected.at(p).uid())) {
                copiedBytes += selected.at(p).size();
            }
        }
        if (!move) {
            quota.add(copiedBytes, copied.size());
            return session.ok("[" + copyUid + "] " + (uid ? "UID " : "") + "COPY completed");
        }
        session.out.untagged("OK [" + copyUid + "] Moved");
        List<Long> gone = selected.index().expunge(new ArrayList<>(copiedSources));
        if (sameFolder) {
            quota.add(copiedBytes, copied.size());
        }
        selected.expunged(gone, session.out, session.mode(true));
        session.protocol.signals.changed(selected.directory);
        return session.ok((uid ? "UID " : "") + "MOVE completed");
    }

    String expunge(SequenceSet uidSet) throws ImapException, IOException {
        requireWritable();
        List<Long> candidates = uidSet == null
                ? selected.uids(allPositions())
                : selected.uids(selected.positions(uidSet, true));
        FolderIndex index = selected.index();
        List<Long> gone = index.expungeDeleted(candidates);
        long bytes = 0;
        for (long uid : gone) {
            int p = selected.positionOf(uid);
            if (p >= 0) {
                bytes += selected.at(p).size();
            }
        }
        new Quota(session).add(-bytes, -gone.size());
        selected.expunged(gone, session.out, session.mode(true));
        if (!gone.isEmpty()) {
            session.protocol.signals.changed(selected.directory);
        }
        String done = session.ok((uidSet == null ? "" : "UID ") + "EXPUNGE completed");
        if (session.qresync) {
            // RFC 7162 §3.2.10: the client learns the MODSEQ after its own expunges
            return "OK [HIGHESTMODSEQ " + index.highestModSeq() + "]" + done.substring(2);
        }
        return done;
    }

    private int[] allPositions() {
        int[] all = new int[selected.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    private void requireWritable() throws ImapException {
        if (selected.readOnly) {
            throw ImapException.no("READ-ONLY", "Mailbox is read-only");
        }
    }
}

package org.osprey.imap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.osprey.imap.parse.SequenceSet;
import org.osprey.store.index.Changes;
import org.osprey.store.index.FolderIndex;
import org.osprey.store.index.FolderIndexes;
import org.osprey.store.index.FolderSnapshot;
import org.osprey.store.index.MessageEntry;
import org.osprey.store.index.SyncResult;

/**
 * The session's view of its selected folder: the messages in sequence-number order as this client was last told
 * (RFC 9051 §2.3.1.2: numbers change only by EXPUNGE responses the client has seen), the \Recent messages of this
 * session, and the MODSEQ up to which the view is current. {@link #update} brings it up to date with the shared
 * index and writes the untagged EXISTS / EXPUNGE / VANISHED / FETCH responses that say so.
 */
final class SelectedFolder implements AutoCloseable {
    final String name;
    final Path directory;
    final boolean readOnly;
    private final FolderIndexes.Lease lease;
    private final FolderIndex index;
    private final long uidValidity;
    private List<MessageEntry> messages;
    private final Set<Long> recent = new HashSet<>();
    /** Expunged by someone else while this session could not be told yet (during FETCH, STORE, SEARCH). */
    private final TreeSet<Long> pendingExpunges = new TreeSet<>();
    private long viewModSeq;
    private long uidNext;
    /** SEARCHRES (RFC 5182): the UIDs of the last SEARCH ... RETURN (SAVE). */
    private List<Long> savedResult = List.of();

    private SelectedFolder(String name, Path directory, boolean readOnly, FolderIndexes.Lease lease)
            throws IOException {
        this.name = name;
        this.directory = directory;
        this.readOnly = readOnly;
        this.lease = lease;
        this.index = lease.index();
        SyncResult sync = index.sync(!readOnly);
        recent.addAll(sync.recent());
        FolderSnapshot snapshot = index.snapshot();
        this.uidValidity = snapshot.uidValidity();
        this.messages = new ArrayList<>(snapshot.messages());
        this.viewModSeq = snapshot.highestModSeq();
        this.uidNext = snapshot.uidNext();
    }

    static SelectedFolder open(String name, Path directory, boolean readOnly, FolderIndexes indexes)
            throws IOException {
        FolderIndexes.Lease lease = indexes.acquire(directory);
        try {
            return new SelectedFolder(name, directory, readOnly, lease);
        } catch (IOException | RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    FolderIndex index() {
        return index;
    }

    long uidValidity() {
        return uidValidity;
    }

    long uidNext() {
        return uidNext;
    }

    long viewModSeq() {
        return viewModSeq;
    }

    int size() {
        return messages.size();
    }

    int recentCount() {
        return recent.size();
    }

    MessageEntry at(int position) {
        return messages.get(position);
    }

    List<MessageEntry> messages() {
        return messages;
    }

    boolean isRecent(long uid) {
        return recent.contains(uid);
    }

    List<Long> savedResult() {
        return savedResult;
    }

    void saveResult(List<Long> uids) {
        savedResult = List.copyOf(uids);
    }

    /** The position of a UID in the view, or -1. */
    int positionOf(long uid) {
        int low = 0;
        int high = messages.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long u = messages.get(mid).uid();
            if (u < uid) {
                low = mid + 1;
            } else if (u > uid) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** The first position whose UID is at least {@code uid}. */
    private int lowerBound(long uid) {
        int low = 0;
        int high = messages.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (messages.get(mid).uid() < uid) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /**
     * The positions a sequence set names, ascending and without duplicates. Sequence numbers beyond the view are
     * an error (BAD, RFC 9051 §6.4.5); UIDs that do not exist are simply not there. {@code $} is the saved result.
     */
    int[] positions(SequenceSet set, boolean uid) throws ImapException {
        int size = messages.size();
        if (set.savedResult()) {
            return savedResult.stream().mapToInt(this::positionOf).filter(p -> p >= 0).sorted().toArray();
        }
        java.util.BitSet selected = new java.util.BitSet(size);
        long largestUid = size == 0 ? 0 : messages.get(size - 1).uid();
        for (SequenceSet.Range range : set.ranges()) {
            if (uid) {
                if (size == 0) {
                    continue;
                }
                long low = range.low(largestUid);
                long high = range.high(largestUid);
                int from = lowerBound(low);
                int to = lowerBound(high + 1);
                if (from < to) {
                    selected.set(from, to);
                }
            } else {
                long low = range.low(size);
                long high = range.high(size);
                if (size == 0 || low < 1 || high > size) {
                    throw ImapException.bad("Invalid message sequence number: " + range);
                }
                selected.set((int) low - 1, (int) high);
            }
        }
        return selected.stream().toArray();
    }

    List<Long> uids(int[] positions) {
        List<Long> uids = new ArrayList<>(positions.length);
        for (int p : positions) {
            uids.add(messages.get(p).uid());
        }
        return uids;
    }

    /** Replaces entries whose new state this session caused and has already reported (STORE, FETCH's \Seen). */
    void replace(Collection<MessageEntry> entries) {
        for (MessageEntry entry : entries) {
            int p = positionOf(entry.uid());
            if (p >= 0 && messages.get(p).modSeq() < entry.modSeq()) {
                messages.set(p, entry);
            }
        }
    }

    /** What the update must say besides EXISTS/EXPUNGE. */
    record Mode(boolean allowExpunge, boolean condstore, boolean qresync, boolean rev2) {
    }

    /**
     * Brings the view up to date and writes the untagged responses. Expunges are held back (and the messages kept
     * in the view) while {@code allowExpunge} is false: RFC 9051 §7.5.1 forbids EXPUNGE during FETCH, STORE and
     * SEARCH, because the client could not tell which numbers they meant.
     */
    void update(Responses out, Mode mode) throws IOException {
        SyncResult sync = index.sync(!readOnly);
        recent.addAll(sync.recent());
        Changes changes = index.changesSince(viewModSeq);
        Set<Long> gone = new HashSet<>(pendingExpunges);
        if (changes.expungedComplete()) {
            gone.addAll(changes.expunged());
        } else {
            Set<Long> present = new HashSet<>();
            for (MessageEntry entry : index.snapshot().messages()) {
                present.add(entry.uid());
            }
            for (MessageEntry entry : messages) {
                if (!present.contains(entry.uid())) {
                    gone.add(entry.uid());
                }
            }
        }
        gone.removeIf(uid -> positionOf(uid) < 0);
        if (!gone.isEmpty()) {
            if (mode.allowExpunge()) {
                pendingExpunges.clear();
                removeAndReport(gone, out, mode);
            } else {
                pendingExpunges.addAll(gone);
            }
        }
        // flag changes of messages this client knows, and new messages
        List<MessageEntry> added = new ArrayList<>();
        Map<Long, MessageEntry> changed = new HashMap<>();
        for (MessageEntry entry : changes.changed()) {
            if (entry.uid() >= uidNext) {
                added.add(entry);
            } else {
                changed.put(entry.uid(), entry);
            }
        }
        for (MessageEntry entry : changed.values()) {
            int p = positionOf(entry.uid());
            if (p < 0 || messages.get(p).modSeq() >= entry.modSeq() || pendingExpunges.contains(entry.uid())) {
                continue;
            }
            messages.set(p, entry);
            out.untagged((p + 1) + " FETCH (UID " + entry.uid() + " FLAGS " + flagList(entry)
                    + (mode.condstore() ? " MODSEQ (" + entry.modSeq() + ")" : "") + ")");
        }
        if (!added.isEmpty()) {
            added.sort(java.util.Comparator.comparingLong(MessageEntry::uid));
            messages.addAll(added);
            uidNext = Math.max(uidNext, added.getLast().uid() + 1);
            out.untagged(messages.size() + " EXISTS");
            if (!mode.rev2()) {
                out.untagged(recent.size() + " RECENT");
            }
        }
        uidNext = Math.max(uidNext, changes.uidNext());
        viewModSeq = Math.max(viewModSeq, changes.highestModSeq());
    }

    /** Removes messages this session expunged itself (EXPUNGE, MOVE) and reports them. */
    void expunged(Collection<Long> uids, Responses out, Mode mode) throws IOException {
        Set<Long> gone = new HashSet<>(uids);
        gone.removeIf(uid -> positionOf(uid) < 0);
        pendingExpunges.removeAll(gone);
        if (!gone.isEmpty()) {
            removeAndReport(gone, out, mode);
        }
    }

    private void removeAndReport(Set<Long> gone, Responses out, Mode mode) throws IOException {
        if (mode.qresync()) {
            out.untagged("VANISHED " + UidSets.format(new TreeSet<>(gone)));
        } else {
            // highest number first, so every number sent is still valid when the client applies it
            for (int p = messages.size() - 1; p >= 0; p--) {
                if (gone.contains(messages.get(p).uid())) {
                    out.untagged((p + 1) + " EXPUNGE");
                }
            }
        }
        List<MessageEntry> kept = new ArrayList<>(messages.size() - gone.size());
        for (MessageEntry entry : messages) {
            if (!gone.contains(entry.uid())) {
                kept.add(entry);
            }
        }
        messages = kept;
        recent.removeAll(gone);
        if (!savedResult.isEmpty()) {
            List<Long> saved = new ArrayList<>(savedResult);
            saved.removeAll(gone);
            savedResult = List.copyOf(saved);
        }
    }

    /** FLAGS of a message as this session sees it (with \Recent). */
    String flagList(MessageEntry entry) {
        return Flags.list(entry.flags(), recent.contains(entry.uid()));
    }

    @Override
    public void close() {
        lease.close();
    }
}

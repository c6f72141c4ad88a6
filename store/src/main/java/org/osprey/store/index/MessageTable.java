package org.osprey.store.index;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The folder's messages in memory, ordered by UID: a sorted {@code long[]} of UIDs for binary search beside the
 * entries, so 100,000 messages cost two arrays, not a tree of nodes. Removing leaves a tombstone (the UID stays,
 * the entry becomes null) so removal is O(1) and order is kept; tombstones are squeezed out when they pile up.
 * The file-name index that directory scans need is built on the first scan only, so opening a folder whose
 * directories did not change never pays for it. Not thread-safe: guarded by the folder lock.
 */
final class MessageTable {
    private long[] uids = new long[64];
    private MessageEntry[] entries = new MessageEntry[64];
    private int length;
    private int live;
    private int inNew;
    private NameIndex byName;

    int size() {
        return live;
    }

    /** How many messages are in new/. */
    int inNewCount() {
        return inNew;
    }

    /** Number of slots, tombstones included; slots are stable until the next {@link #put} or squeeze. */
    int slots() {
        return length;
    }

    /** The entry in a slot, or null for a tombstone. */
    MessageEntry slot(int slot) {
        return entries[slot];
    }

    /** The slot of a live UID, or -1. */
    int slotOf(long uid) {
        int i = Arrays.binarySearch(uids, 0, length, uid);
        return i >= 0 && entries[i] != null ? i : -1;
    }

    MessageEntry find(long uid) {
        int slot = slotOf(uid);
        return slot < 0 ? null : entries[slot];
    }

    /** The entry whose file is currently named {@code fileName} (in new/ or cur/), or null. */
    MessageEntry byName(String fileName) {
        if (byName == null) {
            byName = new NameIndex(live);
            for (int i = 0; i < length; i++) {
                if (entries[i] != null) {
                    byName.add(entries[i]);
                }
            }
        }
        return byName.find(fileName);
    }

    /** Adds an entry or replaces the one with the same UID. New UIDs are normally the largest: appended. */
    void put(MessageEntry entry) {
        long uid = entry.uid();
        int i = length > 0 && uids[length - 1] < uid ? -length - 1 : Arrays.binarySearch(uids, 0, length, uid);
        if (i >= 0) {
            if (entries[i] == null) {
                live++;
            } else {
                inNew -= entries[i].inNew() ? 1 : 0;
                if (byName != null) {
                    byName.remove(entries[i]);
                }
            }
            entries[i] = entry;
        } else {
            int at = -i - 1;
            if (length == uids.length) {
                uids = Arrays.copyOf(uids, length * 2);
                entries = Arrays.copyOf(entries, length * 2);
            }
            System.arraycopy(uids, at, uids, at + 1, length - at);
            System.arraycopy(entries, at, entries, at + 1, length - at);
            uids[at] = uid;
            entries[at] = entry;
            length++;
            live++;
        }
        inNew += entry.inNew() ? 1 : 0;
        if (byName != null) {
            byName.add(entry);
        }
    }

    /** Removes a UID; returns the entry it had, or null. */
    MessageEntry remove(long uid) {
        int slot = slotOf(uid);
        if (slot < 0) {
            return null;
        }
        MessageEntry old = entries[slot];
        entries[slot] = null;
        live--;
        inNew -= old.inNew() ? 1 : 0;
        if (byName != null) {
            byName.remove(old);
        }
        if (length - live > 1024 && length - live > live) {
            squeeze();
        }
        return old;
    }

    private void squeeze() {
        int to = 0;
        for (int from = 0; from < length; from++) {
            if (entries[from] != null) {
                uids[to] = uids[from];
                entries[to] = entries[from];
                to++;
            }
        }
        Arrays.fill(entries, to, length, null);
        length = to;
    }

    /** The live entries in UID order, as an unmodifiable copy that later changes do not touch. */
    List<MessageEntry> snapshot() {
        if (length != live) {
            squeeze();
        }
        return Collections.unmodifiableList(Arrays.asList(Arrays.copyOf(entries, length)));
    }
}

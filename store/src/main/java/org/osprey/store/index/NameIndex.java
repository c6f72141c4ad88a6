package org.osprey.store.index;

/**
 * Finds a message by its current file name, for directory scans: a name from readdir is looked up as it is, with
 * no substring and no key object, so re-reading a 100,000-name cur/ allocates nothing per unchanged file. Open
 * addressing with linear probing over two arrays; the hash of an entry's name (base ":" info) is computed from
 * the base name's cached hash without building the name. Removal shifts later entries back (no tombstones).
 * Not thread-safe: guarded by the folder lock.
 */
final class NameIndex {
    private MessageEntry[] entries;
    private int[] hashes;
    private int count;

    NameIndex(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        entries = new MessageEntry[capacity];
        hashes = new int[capacity];
    }

    MessageEntry find(String name) {
        int hash = name.hashCode();
        int mask = entries.length - 1;
        for (int i = home(hash, mask); entries[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == hash && hasName(entries[i], name)) {
                return entries[i];
            }
        }
        return null;
    }

    void add(MessageEntry entry) {
        if ((count + 1) * 2 > entries.length) {
            grow();
        }
        insert(entry, hash(entry));
        count++;
    }

    void remove(MessageEntry entry) {
        int mask = entries.length - 1;
        int i = home(hash(entry), mask);
        while (entries[i] != entry) {
            if (entries[i] == null) {
                return;
            }
            i = (i + 1) & mask;
        }
        entries[i] = null;
        count--;
        // Shift back every later entry of the probe run that may no longer be reachable past the hole.
        for (int j = (i + 1) & mask; entries[j] != null; j = (j + 1) & mask) {
            int k = home(hashes[j], mask);
            boolean reachable = i <= j ? i < k && k <= j : i < k || k <= j;
            if (!reachable) {
                entries[i] = entries[j];
                hashes[i] = hashes[j];
                entries[j] = null;
                i = j;
            }
        }
    }

    private void insert(MessageEntry entry, int hash) {
        int mask = entries.length - 1;
        int i = home(hash, mask);
        while (entries[i] != null) {
            i = (i + 1) & mask;
        }
        entries[i] = entry;
        hashes[i] = hash;
    }

    private void grow() {
        MessageEntry[] oldEntries = entries;
        int[] oldHashes = hashes;
        entries = new MessageEntry[oldEntries.length * 2];
        hashes = new int[oldEntries.length * 2];
        for (int i = 0; i < oldEntries.length; i++) {
            if (oldEntries[i] != null) {
                insert(oldEntries[i], oldHashes[i]);
            }
        }
    }

    private static int home(int hash, int mask) {
        int h = hash * 0x9E3779B1;
        return (h ^ h >>> 16) & mask;
    }

    /** {@code String.hashCode} of the entry's file name, without making the string. */
    static int hash(MessageEntry e) {
        int h = e.baseName().hashCode();
        String info = e.info();
        if (info != null) {
            h = 31 * h + ':';
            for (int i = 0; i < info.length(); i++) {
                h = 31 * h + info.charAt(i);
            }
        }
        return h;
    }

    static boolean hasName(MessageEntry e, String name) {
        String base = e.baseName();
        String info = e.info();
        int length = base.length() + (info == null ? 0 : info.length() + 1);
        if (name.length() != length || !name.startsWith(base)) {
            return false;
        }
        return info == null || name.charAt(base.length()) == ':'
                && name.regionMatches(base.length() + 1, info, 0, info.length());
    }
}

package org.osprey.store.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which UIDs were expunged at which MODSEQ, so sessions can learn of expunges without comparing 100,000 UIDs.
 * Known back to {@link #floor()}: the HIGHESTMODSEQ at the last compaction of the log (which drops the expunge
 * records) or at the index's creation. Two primitive arrays, 16 bytes an expunge. Guarded by the folder lock.
 */
final class ExpungeHistory {
    private long[] uids = new long[16];
    private long[] modSeqs = new long[16];
    private int count;
    private long floor;

    void add(long uid, long modSeq) {
        if (count == uids.length) {
            uids = Arrays.copyOf(uids, count * 2);
            modSeqs = Arrays.copyOf(modSeqs, count * 2);
        }
        uids[count] = uid;
        modSeqs[count] = modSeq;
        count++;
    }

    void raiseFloor(long modSeq) {
        floor = Math.max(floor, modSeq);
    }

    long floor() {
        return floor;
    }

    /** UIDs expunged after {@code modSeq}, ascending. */
    List<Long> since(long modSeq) {
        long[] found = new long[count];
        int n = 0;
        // added in MODSEQ order: walk back from the newest until older than asked
        for (int i = count - 1; i >= 0 && modSeqs[i] > modSeq; i--) {
            found[n++] = uids[i];
        }
        Arrays.sort(found, 0, n);
        List<Long> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            result.add(found[i]);
        }
        return result;
    }
}

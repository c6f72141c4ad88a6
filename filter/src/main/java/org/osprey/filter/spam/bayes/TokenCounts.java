package org.osprey.filter.spam.bayes;

/**
 * Spam and ham counts per token, keyed by the token's 64-bit hash: an open-addressing table of primitive arrays
 * (a million tokens take about 16 MB, where a HashMap of boxed entries would take several times that). Not
 * thread-safe; {@link BayesDatabase} guards it.
 */
final class TokenCounts {
    private static final long EMPTY = 0L; // hash 0 is remapped, see slot()

    private long[] keys;
    private int[] spam;
    private int[] ham;
    private int size;

    TokenCounts() {
        this(1024);
    }

    TokenCounts(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        spam = new int[capacity];
        ham = new int[capacity];
    }

    int size() {
        return size;
    }

    int spam(long token) {
        int i = find(token);
        return i < 0 ? 0 : spam[i];
    }

    int ham(long token) {
        int i = find(token);
        return i < 0 ? 0 : ham[i];
    }

    /** Adds to a token's counts (negative to unlearn; counts never go below 0, an emptied token is removed). */
    void add(long token, int spamDelta, int hamDelta) {
        long key = key(token);
        int i = slot(key);
        if (keys[i] == EMPTY) {
            if (spamDelta <= 0 && hamDelta <= 0) {
                return;
            }
            keys[i] = key;
            size++;
        }
        spam[i] = Math.max(0, spam[i] + spamDelta);
        ham[i] = Math.max(0, ham[i] + hamDelta);
        if (spam[i] == 0 && ham[i] == 0) {
            remove(i);
        } else if (size * 4 > keys.length * 3) {
            grow();
        }
    }

    /** Calls {@code visitor} for every token with its counts. */
    void forEach(Visitor visitor) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                visitor.visit(keys[i], spam[i], ham[i]);
            }
        }
    }

    /**
     * Removes the rarest tokens (smallest spam + ham count) until at most {@code keep} remain; among tokens of the
     * same count the table order decides. Returns how many were removed.
     */
    int expireRarest(int keep) {
        if (size <= keep) {
            return 0;
        }
        int[] byTotal = new int[RARE_CLASSES + 1];
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                byTotal[rareClass(i)]++;
            }
        }
        int toRemove = size - keep;
        int threshold = 1; // every token of a class below it goes, and some of the threshold class
        int below = 0;
        while (threshold < RARE_CLASSES && below + byTotal[threshold] < toRemove) {
            below += byTotal[threshold];
            threshold++;
        }
        int fromThreshold = toRemove - below;
        long[] doomed = new long[toRemove];
        int n = 0;
        for (int i = 0; i < keys.length && n < toRemove; i++) {
            if (keys[i] == EMPTY) {
                continue;
            }
            int c = rareClass(i);
            if (c < threshold || (c == threshold && fromThreshold-- > 0)) {
                doomed[n++] = keys[i];
            }
        }
        for (int k = 0; k < n; k++) {
            remove(slot(doomed[k]));
        }
        return n;
    }

    /** Totals above this are all "common": expiry never needs to tell them apart. */
    private static final int RARE_CLASSES = 1024;

    private int rareClass(int i) {
        return (int) Math.min(RARE_CLASSES, (long) spam[i] + ham[i]);
    }

    @FunctionalInterface
    interface Visitor {
        void visit(long token, int spam, int ham);
    }

    private int find(long token) {
        long key = key(token);
        int i = slot(key);
        return keys[i] == EMPTY ? -1 : i;
    }

    /** The slot holding {@code key}, or the empty slot where it would go (linear probing). */
    private int slot(long key) {
        int mask = keys.length - 1;
        int i = (int) (key ^ (key >>> 32)) & mask;
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private static long key(long token) {
        return token == EMPTY ? 1L : token;
    }

    /** Backward-shift deletion keeps every probe chain intact without tombstones. */
    private void remove(int i) {
        int mask = keys.length - 1;
        keys[i] = EMPTY;
        spam[i] = 0;
        ham[i] = 0;
        size--;
        int hole = i;
        int j = (i + 1) & mask;
        while (keys[j] != EMPTY) {
            int home = (int) (keys[j] ^ (keys[j] >>> 32)) & mask;
            // move j into the hole unless its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
            if (!stays) {
                keys[hole] = keys[j];
                spam[hole] = spam[j];
                ham[hole] = ham[j];
                keys[j] = EMPTY;
                spam[j] = 0;
                ham[j] = 0;
                hole = j;
            }
            j = (j + 1) & mask;
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldSpam = spam;
        int[] oldHam = ham;
        keys = new long[oldKeys.length * 2];
        spam = new int[keys.length];
        ham = new int[keys.length];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = slot(oldKeys[i]);
                keys[slot] = oldKeys[i];
                spam[slot] = oldSpam[i];
                ham[slot] = oldHam[i];
            }
        }
    }
}

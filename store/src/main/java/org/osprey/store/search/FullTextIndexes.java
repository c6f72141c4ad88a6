package org.osprey.store.search;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out the one shared {@link FullTextIndex} of each user (by home directory): every session of a user, and the
 * background indexer, get the same instance — Lucene allows one writer per index. A lease counts users; an index
 * nobody uses stays open among the {@code maxIdle} most recently released, and the least recently used idle one
 * beyond that is committed and closed.
 *
 * <p>Locks: the registry's monitor guards the maps and counts and is never held during I/O; each slot's monitor
 * guards opening and closing its index, so a user's index being closed is reopened only after the close finished.
 */
public final class FullTextIndexes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FullTextIndexes.class);

    private final int maxIdle;
    private final Map<Path, Slot> slots = new HashMap<>();
    private final LinkedHashMap<Path, Slot> idle = new LinkedHashMap<>();
    private boolean closed;

    public FullTextIndexes(int maxIdle) {
        this.maxIdle = maxIdle;
    }

    /** A hold on a user's index; close it when done (the session ends, the indexing run is over). */
    public final class Lease implements AutoCloseable {
        private final Slot slot;
        private final FullTextIndex index;
        private boolean released;

        private Lease(Slot slot, FullTextIndex index) {
            this.slot = slot;
            this.index = index;
        }

        public FullTextIndex index() {
            return index;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            release(slot);
        }
    }

    /** The shared index of the user whose home (the directory holding the Maildir) is {@code home}. */
    public Lease acquire(Path home) throws IOException {
        Path key = home.toAbsolutePath().normalize();
        Slot slot;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("full-text indexes are closed");
            }
            slot = slots.computeIfAbsent(key, Slot::new);
            slot.users++;
            idle.remove(key);
        }
        try {
            return new Lease(slot, slot.index());
        } catch (IOException | RuntimeException e) {
            release(slot);
            throw e;
        }
    }

    private void release(Slot slot) {
        List<Slot> evicted = new ArrayList<>();
        synchronized (this) {
            if (--slot.users > 0) {
                return;
            }
            idle.put(slot.key, slot);
            Iterator<Slot> oldest = idle.values().iterator();
            while (idle.size() > maxIdle && oldest.hasNext()) {
                evicted.add(oldest.next());
                oldest.remove();
            }
        }
        for (Slot s : evicted) {
            s.closeIfUnused();
        }
    }

    /** Number of users with an open index (in use or idle). */
    public synchronized int openCount() {
        return (int) slots.values().stream().filter(s -> s.index != null).count();
    }

    /** Commits and closes every index, in use or not. */
    @Override
    public void close() {
        List<Slot> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(slots.values());
            idle.clear();
        }
        for (Slot slot : all) {
            slot.closeNow();
        }
    }

    private final class Slot {
        final Path key;
        int users; // guarded by the registry
        volatile FullTextIndex index; // written under this slot's monitor; read racily by openCount

        Slot(Path key) {
            this.key = key;
        }

        synchronized FullTextIndex index() throws IOException {
            if (index == null) {
                index = FullTextIndex.open(key);
            }
            return index;
        }

        synchronized void closeIfUnused() {
            synchronized (FullTextIndexes.this) {
                if (users > 0) {
                    return; // taken again since it was evicted
                }
            }
            closeNow();
            synchronized (FullTextIndexes.this) {
                if (users == 0) {
                    slots.remove(key, this);
                }
            }
        }

        synchronized void closeNow() {
            if (index == null) {
                return;
            }
            try {
                index.close();
            } catch (IOException e) {
                log.warn("closing the full-text index of {} failed: {}", key, e.toString());
            }
            index = null;
        }
    }
}

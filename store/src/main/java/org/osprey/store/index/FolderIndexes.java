package org.osprey.store.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osprey.core.io.DirectorySync;
import org.osprey.store.StoreEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out the one shared {@link FolderIndex} of each folder directory: every session that selects a folder gets
 * the same instance, so they share one lock, one in-memory table and one log writer. A lease counts users; an
 * index nobody uses stays open among the {@code maxIdle} most recently released (reopening a big folder costs a
 * log read), and the least recently used idle one beyond that is closed.
 *
 * <p>Locks: the registry's monitor guards the maps and counts and is never held during I/O; each slot's monitor
 * guards opening and closing its index, so a folder being closed is reopened only after the close finished.
 */
public final class FolderIndexes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FolderIndexes.class);

    private final DirectorySync directorySync;
    private final String host;
    private final int maxIdle;
    private final StoreEvents events;
    private final Map<Path, Slot> slots = new HashMap<>();
    private final LinkedHashMap<Path, Slot> idle = new LinkedHashMap<>();
    private boolean closed;

    public FolderIndexes(DirectorySync directorySync, String host, int maxIdle) {
        this(directorySync, host, maxIdle, new StoreEvents());
    }

    /** As above; copies between the folders are published to {@code events}. */
    public FolderIndexes(DirectorySync directorySync, String host, int maxIdle, StoreEvents events) {
        this.directorySync = directorySync;
        this.host = host;
        this.maxIdle = maxIdle;
        this.events = events;
    }

    /** A user's hold on a folder's index; close it when the session leaves the folder. */
    public final class Lease implements AutoCloseable {
        private final Slot slot;
        private final FolderIndex index;
        private boolean released;

        private Lease(Slot slot, FolderIndex index) {
            this.slot = slot;
            this.index = index;
        }

        public FolderIndex index() {
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

    /** The shared index of a folder directory, opened (or built) on first use. */
    public Lease acquire(Path folderDir) throws IOException {
        Path key = folderDir.toAbsolutePath().normalize();
        Slot slot;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("folder indexes are closed");
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

    /**
     * Closes the index of a folder directory that is about to be renamed or deleted, so no stale index stays open
     * under its old path. Returns false, closing nothing, when a session holds it (the caller should refuse).
     */
    public boolean closeIfUnused(Path folderDir) {
        Path key = folderDir.toAbsolutePath().normalize();
        Slot slot;
        synchronized (this) {
            slot = slots.get(key);
            if (slot == null) {
                return true;
            }
            if (slot.users > 0) {
                return false;
            }
            idle.remove(key);
        }
        slot.closeIfUnused();
        return true;
    }

    /** Number of folders with an open index (in use or idle). */
    public synchronized int openCount() {
        return (int) slots.values().stream().filter(s -> s.index != null).count();
    }

    /** Closes every index, in use or not. */
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
        volatile FolderIndex index; // written under this slot's monitor; read racily by openCount

        Slot(Path key) {
            this.key = key;
        }

        synchronized FolderIndex index() throws IOException {
            if (index != null && index.isBroken()) {
                // an fsync failed: nothing it holds can be promised any more; read the disk afresh
                closeNow();
            }
            if (index == null) {
                index = FolderIndex.open(key, directorySync, host);
                index.onCopied(events::publish);
            }
            return index;
        }

        synchronized void closeIfUnused() {
            synchronized (FolderIndexes.this) {
                if (users > 0) {
                    return; // taken again since it was evicted
                }
            }
            closeNow();
            synchronized (FolderIndexes.this) {
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
                log.warn("closing the index of {} failed: {}", key, e.toString());
            }
            index = null;
        }
    }
}

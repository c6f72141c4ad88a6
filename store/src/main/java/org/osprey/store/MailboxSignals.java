package org.osprey.store;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes the sessions that wait (IMAP IDLE) on a folder when something changed it: a delivery (wired by the server
 * from the store's events), another IMAP session's STORE, EXPUNGE, APPEND, COPY or MOVE, or a POP3 session's
 * expunges at QUIT. A signal only says "look again"; the session learns what changed from the folder's index.
 */
public final class MailboxSignals {
    private final ConcurrentHashMap<Path, Set<Runnable>> waiters = new ConcurrentHashMap<>();

    /** Registers {@code wake} for changes of the folder in {@code folderDir}; undo with {@link #unsubscribe}. */
    public void subscribe(Path folderDir, Runnable wake) {
        waiters.computeIfAbsent(key(folderDir), k -> ConcurrentHashMap.newKeySet()).add(wake);
    }

    public void unsubscribe(Path folderDir, Runnable wake) {
        waiters.computeIfPresent(key(folderDir), (k, set) -> {
            set.remove(wake);
            return set.isEmpty() ? null : set;
        });
    }

    /** Something changed in the folder in {@code folderDir}. */
    public void changed(Path folderDir) {
        Set<Runnable> set = waiters.get(key(folderDir));
        if (set != null) {
            set.forEach(Runnable::run);
        }
    }

    private static Path key(Path dir) {
        return dir.toAbsolutePath().normalize();
    }
}

package org.osprey.store.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Whether one directory (new/ or cur/) must be read again, judged by its modification time, as Dovecot does: a
 * directory whose mtime equals the one recorded when it was last read completely has not changed since.
 *
 * <p>That holds only when the recorded read happened at least {@value #RACY_MILLIS} ms after the mtime: a change
 * made in the same clock tick as the mtime (1 s on some file systems) leaves the mtime as it was. Such a "racy"
 * record is not trusted for long: a small directory (new/ usually, and most folders' cur/) is read again on every
 * check while racy; a big one (100,000 names) once, when the mtime has aged past the window, so a burst of our own
 * flag renames costs one re-read, not one per command. A change by another program in the same tick as ours is
 * thus seen at most about two seconds late in a big folder, never lost.
 *
 * <p>Our own renames and unlinks change the mtime too. {@link #beforeOwnChange}/{@link #afterOwnChange} adopt the
 * new mtime (as racy) only when the directory had not changed before our change, so another program's change
 * still forces a read. Guarded by the folder lock.
 */
final class DirWatch {
    static final long RACY_MILLIS = 2000;
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final Path dir;
    private long mtime = UNKNOWN;
    private long checkedAt;
    private long generation;

    /** A token of the state before one of our own changes. */
    record Token(boolean unchanged, long generation) {
    }

    DirWatch(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** The directory's mtime in nanoseconds. */
    long stat() throws IOException {
        return Files.getLastModifiedTime(dir).to(TimeUnit.NANOSECONDS);
    }

    boolean needsScan(long currentMtime, long nowMillis, boolean cheapToRead) {
        if (mtime == UNKNOWN || currentMtime != mtime) {
            return true;
        }
        if (!racy()) {
            return false;
        }
        return cheapToRead || nowMillis >= Math.floorDiv(mtime, 1_000_000L) + RACY_MILLIS;
    }

    private boolean racy() {
        return checkedAt < Math.floorDiv(mtime, 1_000_000L) + RACY_MILLIS;
    }

    /** Records a complete read that began at {@code checkedAtMillis}; a directory that changed meanwhile is unknown. */
    void scanned(long mtimeBefore, long mtimeAfter, long checkedAtMillis) {
        generation++;
        if (mtimeBefore == mtimeAfter) {
            mtime = mtimeBefore;
            checkedAt = checkedAtMillis;
        } else {
            mtime = UNKNOWN;
        }
    }

    void invalidate() {
        generation++;
        mtime = UNKNOWN;
    }

    Token beforeOwnChange() throws IOException {
        return new Token(mtime != UNKNOWN && stat() == mtime, generation);
    }

    void afterOwnChange(Token token, long nowMillis) throws IOException {
        if (token.unchanged() && token.generation() == generation) {
            generation++;
            mtime = stat();
            checkedAt = nowMillis;
        }
    }

    /** The mtime to persist in a sync point, or 0 when the state is not worth trusting after a restart. */
    long persistableMtime() {
        return mtime == UNKNOWN || racy() ? 0 : mtime;
    }

    long checkedAt() {
        return checkedAt;
    }

    /** Takes a persisted state; one that was racy (or unknown: 0) is not trusted. */
    void restore(long persistedMtime, long persistedCheckedAt) {
        generation++;
        mtime = persistedMtime;
        checkedAt = persistedCheckedAt;
        if (persistedMtime == 0 || racy()) {
            mtime = UNKNOWN;
        }
    }
}

package org.osprey.core.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a directory entry (a new file, a rename) durable by fsyncing the directory, with group commit: when many
 * sessions wait for the same directory at once, one fsync that starts after their change covers all of them.
 * An fsync that was already running when a caller's change happened does not count for it.
 */
public final class DirectorySync {
    private final ConcurrentHashMap<Path, Group> groups = new ConcurrentHashMap<>();

    /** Returns once every change made in {@code directory} before this call is on disk. */
    public void sync(Path directory) throws IOException {
        groups.computeIfAbsent(directory, Group::new).sync();
    }

    /** Fsyncs a regular file's data and metadata. */
    public static void syncFile(FileChannel channel) throws IOException {
        channel.force(true);
    }

    /** One directory's commit state: generations started and finished, guarded by the object's monitor. */
    private static final class Group {
        private final Path directory;
        private long started;
        private long completed;
        private boolean running;
        private IOException failure;
        private long failedGeneration = -1;

        Group(Path directory) {
            this.directory = directory;
        }

        void sync() throws IOException {
            long needed;
            long generation;
            synchronized (this) {
                // A sync that starts after now covers this caller's change: that is generation started + 1.
                needed = started + 1;
                while (true) {
                    if (completed >= needed) {
                        if (failedGeneration >= needed) {
                            throw new IOException("fsync of " + directory + " failed", failure);
                        }
                        return;
                    }
                    if (!running) {
                        running = true;
                        generation = ++started;
                        break;
                    }
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for fsync of " + directory);
                    }
                }
            }
            IOException error = null;
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException e) {
                error = e;
            }
            synchronized (this) {
                completed = generation;
                running = false;
                if (error != null) {
                    failure = error;
                    failedGeneration = generation;
                }
                notifyAll();
            }
            if (error != null) {
                throw new IOException("fsync of " + directory + " failed: " + error.getMessage(), error);
            }
        }
    }
}

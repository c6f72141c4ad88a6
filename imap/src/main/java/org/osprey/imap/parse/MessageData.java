package org.osprey.imap.parse;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The message of an APPEND, received before the command is handed to the processor. Small messages stay in memory,
 * large ones go to a temporary file ({@link #receive}), so a 50 MB APPEND never becomes a 50 MB array. Whoever ends
 * up with the {@link ImapCommand.Append} closes it (the reader does so itself when the command fails to parse).
 */
public interface MessageData extends Closeable {

    /** The number of octets. */
    long size();

    /** A fresh stream over the octets; may be called more than once. */
    InputStream open() throws IOException;

    /** Frees the storage (deletes the file). Idempotent. */
    @Override
    void close();

    /**
     * Reads exactly {@code size} octets from {@code body}: into memory when at most {@code memoryThreshold}, else into
     * a new owner-only temporary file in {@code spoolDir}. Throws {@link EOFException} when the body ends early.
     */
    static MessageData receive(InputStream body, long size, Path spoolDir, int memoryThreshold) throws IOException {
        if (size <= memoryThreshold) {
            byte[] bytes = body.readNBytes((int) size);
            if (bytes.length < size) {
                throw new EOFException("connection closed inside a literal");
            }
            return new InMemory(bytes);
        }
        Path file = Files.createTempFile(spoolDir, "append-", ".tmp");
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[8192];
            long left = size;
            while (left > 0) {
                int n = body.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException("connection closed inside a literal");
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new TempFile(file, size);
    }

    /** A message held in memory; equal to another with the same octets. */
    record InMemory(byte[] bytes) implements MessageData {
        public InMemory {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public void close() {
            // nothing held but memory
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof InMemory m && Arrays.equals(bytes, m.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "InMemory[" + bytes.length + " octets]";
        }
    }

    /** A message in a temporary file, deleted by {@link #close()}. */
    final class TempFile implements MessageData {
        private final Path file;
        private final long size;

        TempFile(Path file, long size) {
            this.file = file;
            this.size = size;
        }

        public Path file() {
            return file;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }

        @Override
        public void close() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return "TempFile[" + size + " octets]";
        }
    }
}

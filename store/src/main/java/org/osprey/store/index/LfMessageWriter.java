package org.osprey.store.index;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.osprey.core.io.DirectorySync;

/**
 * Writes a message file the way Maildir readers expect it: LF line endings (a CRLF in the input becomes LF; a CR
 * not followed by LF is content and kept), created new (normally in tmp/), fsync'd before return and deleted if
 * anything fails. Counting lines while writing gives the CRLF size (W=) without reading the file again.
 * {@code MailStore.deliver} writes its files the same way and can call {@link #write} instead of its own copy.
 */
public final class LfMessageWriter {
    private LfMessageWriter() {
    }

    /** Sizes of a written message: {@code size} on disk (S=), {@code virtualSize} with CRLF (W=). */
    public record Written(long size, long virtualSize) {
    }

    /** Writes {@code headers} (each without a final line ending; CRLF inside folds it) and then {@code message} into the new file {@code file}. */
    public static Written write(Path file, List<String> headers, InputStream message) throws IOException {
        return write(file, headers, message, 0);
    }

    /**
     * As {@link #write(Path, List, InputStream)}, and sets the file's modification time to {@code modifiedMillis}
     * when that is positive (a Maildir message's internal date is its mtime), before the fsync that makes it stay.
     */
    public static Written write(Path file, List<String> headers, InputStream message, long modifiedMillis)
            throws IOException {
        // Opened outside the try: if the name exists, it is someone else's file and must not be deleted.
        FileChannel created = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (FileChannel channel = created) {
            var out = new Counter(new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024));
            for (String header : headers) {
                out.writeLine(header);
            }
            out.copy(message);
            out.flush();
            if (modifiedMillis > 0) {
                Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(modifiedMillis));
            }
            DirectorySync.syncFile(channel);
            return new Written(out.bytes, out.bytes + out.lines);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * The CRLF size of a file written by someone else without W= in its name: each LF not preceded by CR counts
     * one more byte, as it will be sent as CRLF.
     */
    public static long virtualSize(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            long size = 0;
            boolean previousCr = false;
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n' && !previousCr) {
                        size++;
                    }
                    previousCr = b == '\r';
                }
                size += n;
            }
            return size;
        }
    }

    private static final class Counter {
        private final OutputStream out;
        private long bytes;
        private long lines;

        Counter(OutputStream out) {
            this.out = out;
        }

        /** One header line; a folded one (a CRLF inside, as content checks write long fields) keeps LF only. */
        void writeLine(String line) throws IOException {
            String lf = line.indexOf('\r') >= 0 ? line.replace("\r\n", "\n") : line;
            byte[] b = lf.getBytes(StandardCharsets.UTF_8);
            out.write(b);
            out.write('\n');
            bytes += b.length + 1;
            lines++;
            for (byte c : b) {
                if (c == '\n') {
                    lines++;
                }
            }
        }

        void copy(InputStream in) throws IOException {
            byte[] buffer = new byte[64 * 1024];
            boolean pendingCr = false;
            int n;
            while ((n = in.read(buffer)) > 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (pendingCr) {
                        pendingCr = false;
                        if (b != '\n') {
                            write(new byte[] {'\r'}, 0, 1);
                        }
                    }
                    if (b == '\r') {
                        write(buffer, start, i - start);
                        start = i + 1;
                        pendingCr = true;
                    } else if (b == '\n') {
                        lines++;
                    }
                }
                write(buffer, start, n - start);
            }
            if (pendingCr) {
                write(new byte[] {'\r'}, 0, 1);
            }
        }

        private void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                out.write(b, off, len);
                bytes += len;
            }
        }

        void flush() throws IOException {
            out.flush();
        }
    }
}

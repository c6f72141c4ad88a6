package org.osprey.store.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.osprey.core.io.DirectorySync;

/**
 * The append-only file behind a {@link FolderIndex}. Each line is {@code <crc32 as 8 hex digits> <payload>\n}, the
 * checksum taken over the payload's UTF-8 bytes, the payload a {@link LogRecord}.
 *
 * <p>Crash safety: records are appended with plain writes and made durable by {@link #awaitDurable}, which groups
 * callers: one fdatasync that starts after a caller's write covers every caller waiting for it. A crash can only
 * damage what was not yet fsync'd, which is the end of the file: so unreadable lines at the end (a torn last line,
 * or a last batch that half reached the disk) are cut off on open and lose nothing anyone was told about, while an
 * unreadable line followed by a good one means the file itself is damaged, and the index is rebuilt.
 *
 * <p>Compaction replaces the file by a new one written beside it, fsync'd, renamed over it, and the directory
 * fsync'd, so at every moment the path names a complete log. The file is locked (advisory, whole-file) while open,
 * so a second process does not append to it; the new file is locked before it is renamed into place.
 *
 * <p>Not thread-safe for writers: {@link FolderIndex} appends and rewrites under its folder lock. {@link
 * #awaitDurable} is called without that lock and may run concurrently with appends.
 */
final class IndexLog implements Closeable {
    enum Status { OK, TORN_TAIL, DAMAGED, EMPTY }

    /** What reading found; {@code uidValidity} is 0 when no header could be read. */
    record Replay(Status status, long uidValidity, long goodLines, String problem) {
    }

    private static final ConcurrentHashMap<String, String> INFOS = new ConcurrentHashMap<>();
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final DirectorySync directorySync;
    private FileChannel channel;
    private FileLock fileLock;
    private long position;
    private final CRC32 crc = new CRC32();
    private final Fields fields = new Fields();
    private final InfoCache infos = new InfoCache();

    private final Object forceMonitor = new Object();
    private volatile long written;
    private long durable;
    private boolean forcing;
    private IOException failure;

    private IndexLog(Path file, DirectorySync directorySync, FileChannel channel, FileLock fileLock) throws IOException {
        this.file = file;
        this.directorySync = directorySync;
        this.channel = channel;
        this.fileLock = fileLock;
        this.position = channel.size();
    }

    /** Opens an existing log for replay and appending. */
    static IndexLog open(Path file, DirectorySync directorySync) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new IndexLog(file, directorySync, channel, lock(channel, file));
    }

    /** Creates the log (it must not exist) holding {@code records}, durable (file and directory) on return. */
    static IndexLog create(Path file, DirectorySync directorySync, Iterable<LogRecord> records) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE_NEW);
        IndexLog log;
        try {
            log = new IndexLog(file, directorySync, channel, lock(channel, file));
            log.position = writeAll(channel, records);
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        directorySync.sync(file.getParent());
        return log;
    }

    private static FileLock lock(FileChannel channel, Path file) throws IOException {
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw new IOException(file + " is in use by another process");
        }
        return lock;
    }

    /**
     * Feeds every good record to {@code sink} in order. A bad tail is cut off the file (and reported as
     * TORN_TAIL); on DAMAGED or EMPTY the caller must discard what it was fed and rebuild.
     */
    Replay replay(Consumer<LogRecord> sink) throws IOException {
        var lines = new Lines();
        long count = 0;
        long uidValidity = 0;
        while (lines.next()) {
            LogRecord record = decode(lines.buffer, lines.lineStart, lines.lineEnd);
            if (record == null) {
                long bad = lines.lineOffset();
                while (lines.next()) {
                    if (decode(lines.buffer, lines.lineStart, lines.lineEnd) != null) {
                        return new Replay(Status.DAMAGED, uidValidity, count, "unreadable line " + (count + 1)
                                + " followed by good ones");
                    }
                }
                return cutTail(bad, count, uidValidity);
            }
            if (count == 0) {
                if (!(record instanceof LogRecord.Header header)) {
                    return new Replay(Status.DAMAGED, 0, 0, "first line is not a header");
                }
                if (header.version() != LogRecord.VERSION) {
                    return new Replay(Status.DAMAGED, header.uidValidity(), 0, "unknown version "
                            + header.version());
                }
                uidValidity = header.uidValidity();
            } else if (record instanceof LogRecord.Header) {
                return new Replay(Status.DAMAGED, uidValidity, count, "second header at line " + (count + 1));
            }
            sink.accept(record);
            count++;
        }
        if (lines.partial()) {
            return cutTail(lines.unreadOffset(), count, uidValidity);
        }
        return count == 0 ? new Replay(Status.EMPTY, 0, 0, "empty file") : new Replay(Status.OK, uidValidity,
                count, null);
    }

    private Replay cutTail(long offset, long count, long uidValidity) throws IOException {
        if (count == 0) {
            return new Replay(Status.EMPTY, 0, 0, "no readable header");
        }
        long cut = channel.size() - offset;
        truncate(offset);
        return new Replay(Status.TORN_TAIL, uidValidity, count, "cut an unreadable end of " + cut
                + " bytes after line " + count);
    }

    /**
     * The file's lines through one reusable buffer: a 100,000-message log is 11 MB, and one array that big would
     * be allocated outside the young generation and copied for nothing.
     */
    private final class Lines {
        byte[] buffer = new byte[1 << 20];
        int lineStart;
        int lineEnd;
        private int start;
        private int limit;
        private long bufferOffset;
        private long readOffset;
        private boolean eof;

        /** Moves to the next complete line ({@code buffer[lineStart, lineEnd)}, newline at lineEnd). */
        boolean next() throws IOException {
            while (true) {
                for (int i = start; i < limit; i++) {
                    if (buffer[i] == '\n') {
                        lineStart = start;
                        lineEnd = i;
                        start = i + 1;
                        return true;
                    }
                }
                if (eof) {
                    return false;
                }
                if (start > 0) {
                    System.arraycopy(buffer, start, buffer, 0, limit - start);
                    bufferOffset += start;
                    limit -= start;
                    start = 0;
                }
                if (limit == buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2); // only garbage has such lines
                }
                int n = channel.read(ByteBuffer.wrap(buffer, limit, buffer.length - limit), readOffset);
                if (n < 0) {
                    eof = true;
                } else {
                    limit += n;
                    readOffset += n;
                }
            }
        }

        long lineOffset() {
            return bufferOffset + lineStart;
        }

        /** Bytes after the last complete line (a line torn before its newline). */
        boolean partial() {
            return start < limit;
        }

        long unreadOffset() {
            return bufferOffset + start;
        }
    }

    private void truncate(long size) throws IOException {
        channel.truncate(size);
        channel.force(true);
        position = size;
    }

    /** Appends records (not yet durable); returns the sequence to pass to {@link #awaitDurable}. */
    long append(List<? extends LogRecord> records) throws IOException {
        checkUsable();
        if (records.isEmpty()) {
            return written;
        }
        byte[] data = encode(records);
        ByteBuffer buffer = ByteBuffer.wrap(data);
        try {
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
        } catch (IOException e) {
            // A half-written record is a torn tail to the reader; the next append would bury it. Stop here.
            fail(e);
            throw e;
        }
        written += data.length;
        return written;
    }

    /** The sequence reached by appends so far. */
    long written() {
        return written;
    }

    /** Returns once everything appended up to {@code sequence} is on disk, sharing one fdatasync among waiters. */
    void awaitDurable(long sequence) throws IOException {
        FileChannel target;
        long covers;
        synchronized (forceMonitor) {
            while (true) {
                if (failure != null) {
                    throw new IOException("index log " + file + " failed earlier", failure);
                }
                if (durable >= sequence) {
                    return;
                }
                if (!forcing) {
                    break;
                }
                waitForForce();
            }
            forcing = true;
            target = channel;
            covers = written;
        }
        IOException error = null;
        try {
            target.force(false);
        } catch (IOException e) {
            error = e;
        }
        synchronized (forceMonitor) {
            forcing = false;
            if (error == null) {
                durable = Math.max(durable, covers);
            } else {
                // After a failed fsync the kernel may have dropped the dirty pages: nothing is known to be on disk.
                failure = error;
            }
            forceMonitor.notifyAll();
        }
        if (error != null) {
            throw error;
        }
    }

    /** The file's length. */
    long size() {
        return position;
    }

    /**
     * Replaces the file by one holding only {@code records} (compaction): written beside, fsync'd, locked, renamed
     * over the old one and the directory fsync'd. Everything appended before is durable afterwards.
     */
    void rewrite(Iterable<LogRecord> records) throws IOException {
        checkUsable();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        FileChannel next = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        FileLock nextLock;
        long nextSize;
        try {
            nextLock = lock(next, tmp);
            nextSize = writeAll(next, records);
            next.force(true);
        } catch (IOException | RuntimeException e) {
            next.close();
            Files.deleteIfExists(tmp);
            throw e;
        }
        synchronized (forceMonitor) {
            while (forcing) {
                waitForForce();
            }
            forcing = true; // keeps waiters off the channel while it is swapped
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            directorySync.sync(file.getParent());
            FileChannel old = channel;
            channel = next;
            fileLock = nextLock;
            position = nextSize;
            old.close();
        } catch (IOException e) {
            fail(e);
            next.close();
            throw e;
        } finally {
            synchronized (forceMonitor) {
                forcing = false;
                if (failure == null) {
                    durable = written;
                }
                forceMonitor.notifyAll();
            }
        }
    }

    private void waitForForce() throws IOException {
        try {
            forceMonitor.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for fsync of " + file);
        }
    }

    private void fail(IOException e) {
        synchronized (forceMonitor) {
            if (failure == null) {
                failure = e;
            }
            forceMonitor.notifyAll();
        }
    }

    boolean failed() {
        synchronized (forceMonitor) {
            return failure != null;
        }
    }

    private void checkUsable() throws IOException {
        synchronized (forceMonitor) {
            if (failure != null) {
                throw new IOException("index log " + file + " failed earlier", failure);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (fileLock != null && fileLock.isValid()) {
                fileLock.release();
            }
        } finally {
            channel.close();
        }
    }

    // ---- line encoding

    private static long writeAll(FileChannel channel, Iterable<LogRecord> records) throws IOException {
        long pos = 0;
        var batch = new java.util.ArrayList<LogRecord>(1024);
        for (LogRecord record : records) {
            batch.add(record);
            if (batch.size() == 1024) {
                pos = writeFully(channel, ByteBuffer.wrap(encode(batch)), pos);
                batch.clear();
            }
        }
        return writeFully(channel, ByteBuffer.wrap(encode(batch)), pos);
    }

    private static long writeFully(FileChannel channel, ByteBuffer buffer, long pos) throws IOException {
        while (buffer.hasRemaining()) {
            pos += channel.write(buffer, pos);
        }
        return pos;
    }

    static byte[] encode(List<? extends LogRecord> records) {
        var out = new java.io.ByteArrayOutputStream(records.size() * 96);
        CRC32 crc = new CRC32();
        for (LogRecord record : records) {
            byte[] payload = record.payload().getBytes(StandardCharsets.UTF_8);
            crc.reset();
            crc.update(payload);
            long value = crc.getValue();
            for (int shift = 28; shift >= 0; shift -= 4) {
                out.write(HEX[(int) (value >>> shift) & 0xf]);
            }
            out.write(' ');
            out.write(payload, 0, payload.length);
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** The record on bytes[from, end) (end is the newline), or null when the line is not a good record. */
    LogRecord decode(byte[] bytes, int from, int end) {
        if (end - from < 12 || bytes[from + 8] != ' ' || bytes[from + 10] != ' ') {
            return null;
        }
        long expected = 0;
        for (int i = from; i < from + 8; i++) {
            int digit = Character.digit(bytes[i], 16);
            if (digit < 0) {
                return null;
            }
            expected = expected << 4 | digit;
        }
        crc.reset();
        crc.update(bytes, from + 9, end - from - 9);
        if (crc.getValue() != expected) {
            return null;
        }
        Fields in = fields.reset(bytes, from + 11, end);
        try {
            LogRecord record = switch (bytes[from + 9]) {
                case 'H' -> new LogRecord.Header((int) in.number(), in.number());
                case 'M' -> message(in);
                case 'X' -> new LogRecord.Expunge(in.number(), in.number());
                case 'N' -> new LogRecord.Next(in.number(), in.number());
                case 'R' -> new LogRecord.Recent(in.number());
                case 'S' -> new LogRecord.SyncPoint(in.number(), in.number(), in.number(), in.number());
                default -> null;
            };
            return record != null && in.atEnd() ? record : null;
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private LogRecord.Message message(Fields in) {
        long uid = in.number();
        long modSeq = in.number();
        long date = in.number();
        long size = in.number();
        long vsize = in.number();
        boolean inNew = in.where();
        if (uid <= 0) {
            throw new NumberFormatException("bad UID");
        }
        // base name and info straight from the bytes: no string for the whole name, none for a known info
        int colon = in.indexOf((byte) ':');
        if (colon < 0) {
            return new LogRecord.Message(uid, modSeq, date, size, vsize, inNew, in.rest(), null);
        }
        String base = in.upTo(colon);
        String info = infos.get(in.bytes, colon + 1, in.end);
        return new LogRecord.Message(uid, modSeq, date, size, vsize, inNew, base, info);
    }

    /** Info parts repeat ("2,S" on most messages): share one string per distinct value. */
    static String shareInfo(String info) {
        String shared = INFOS.get(info);
        if (shared != null) {
            return shared;
        }
        if (INFOS.size() < 4096) {
            shared = INFOS.putIfAbsent(info, info);
        }
        return shared == null ? info : shared;
    }

    /** Space-separated fields of one payload, read without making strings for numbers; reused line by line. */
    private static final class Fields {
        private byte[] bytes;
        private int end;
        private int pos;

        Fields reset(byte[] bytes, int pos, int end) {
            this.bytes = bytes;
            this.pos = pos;
            this.end = end;
            return this;
        }

        long number() {
            if (pos > end) {
                throw new NumberFormatException("missing field");
            }
            boolean negative = pos < end && bytes[pos] == '-';
            int i = negative ? pos + 1 : pos;
            int start = i;
            long value = 0;
            while (i < end && bytes[i] != ' ') {
                int digit = bytes[i] - '0';
                if (digit < 0 || digit > 9) {
                    throw new NumberFormatException("not a number");
                }
                // 18 digits cannot overflow a long; only the 19th needs the (slower) exact arithmetic
                value = i - start < 18 ? value * 10 + digit : Math.addExact(Math.multiplyExact(value, 10), digit);
                i++;
            }
            if (i == start) {
                throw new NumberFormatException("empty field");
            }
            pos = i + 1;
            return negative ? -value : value;
        }

        /** "new" or "cur": true for new. */
        boolean where() {
            if (pos + 4 > end || bytes[pos + 3] != ' ') {
                throw new NumberFormatException("neither new nor cur");
            }
            boolean isNew = bytes[pos] == 'n' && bytes[pos + 1] == 'e' && bytes[pos + 2] == 'w';
            boolean isCur = bytes[pos] == 'c' && bytes[pos + 1] == 'u' && bytes[pos + 2] == 'r';
            if (!isNew && !isCur) {
                throw new NumberFormatException("neither new nor cur");
            }
            pos += 4;
            return isNew;
        }

        int indexOf(byte b) {
            for (int i = pos; i < end; i++) {
                if (bytes[i] == b) {
                    return i;
                }
            }
            return -1;
        }

        String upTo(int index) {
            if (index <= pos) {
                throw new NumberFormatException("empty name");
            }
            String text = new String(bytes, pos, index - pos, StandardCharsets.UTF_8);
            pos = end + 1;
            return text;
        }

        String rest() {
            return upTo(end);
        }

        boolean atEnd() {
            return pos >= end;
        }
    }

    /**
     * The info parts met while reading ("2,S", "2,RS", …: a handful of distinct values on 100,000 lines), found by
     * their bytes so a known one costs no allocation.
     */
    private static final class InfoCache {
        private final String[] slots = new String[256];

        String get(byte[] bytes, int from, int to) {
            int hash = 0;
            for (int i = from; i < to; i++) {
                hash = hash * 31 + bytes[i];
            }
            int slot = (hash ^ hash >>> 8) & (slots.length - 1);
            String cached = slots[slot];
            if (cached != null && matches(cached, bytes, from, to)) {
                return cached;
            }
            String info = shareInfo(new String(bytes, from, to - from, StandardCharsets.UTF_8));
            slots[slot] = info;
            return info;
        }

        private static boolean matches(String s, byte[] bytes, int from, int to) {
            if (s.length() != to - from) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) != bytes[from + i]) {
                    return false;
                }
            }
            return true;
        }
    }
}

package org.osprey.store.index;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongPredicate;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A per-folder cache of opaque values by UID (what IMAP's FETCH ENVELOPE/BODYSTRUCTURE would otherwise parse the
 * message for), in the file {@code osprey-cache} beside the folder's {@code osprey-index}. A message's file never
 * changes under its UID, so an entry never goes stale; it only dies when the message is expunged.
 *
 * <p>Format: a 24-octet header (magic, version, the folder's UIDVALIDITY, CRC-32C of those), then appended records
 * {@code uid (8) | length (4) | CRC-32C of uid, length and value (4) | value}, big-endian. A header that does not
 * match (another version, another UIDVALIDITY, garbage) discards the file. Opening scans the records and keeps
 * only UID → offset in memory (an open-addressing table of two {@code long[]}: 100,000 entries cost 4 MiB); the
 * first record that is torn or fails its CRC ends the file there and is cut off with all after it. Every read
 * checks the record's UID and CRC again, so a damaged file gives misses, never another message's data.
 *
 * <p>Nothing is fsync'd: it is a cache, rebuilt by parsing again. A later value for a UID replaces the earlier one;
 * {@link #retain} forgets dead UIDs and, once more than half of the records are dead, rewrites the file beside
 * itself and renames it over. Thread-safe: reads run in parallel, writes one at a time. A failed or closed cache
 * misses and ignores writes rather than fail its callers.
 */
public final class MessageCache implements Closeable {
    public static final String FILE = "osprey-cache";
    /** Values larger than this are not cached. */
    public static final int MAX_VALUE = 16 * 1024 * 1024;
    static final int VERSION = 1;
    static final int HEADER = 24;
    static final int RECORD_HEADER = 16;
    private static final long MAGIC = 0x4f53505259434348L; // "OSPRYCCH"
    private static final Logger log = LoggerFactory.getLogger(MessageCache.class);

    private final Path file;
    private final long uidValidity;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    // guarded by lock (the table and counters by the write lock for changes, the read lock for lookups)
    private volatile FileChannel channel;
    private long end;
    private UidTable offsets = new UidTable(16);
    private long records;
    private boolean closed;

    private MessageCache(Path file, long uidValidity) {
        this.file = file;
        this.uidValidity = uidValidity;
    }

    /** Opens (or creates) the cache file for a folder whose UIDVALIDITY is {@code uidValidity}. */
    public static MessageCache open(Path file, long uidValidity) throws IOException {
        var cache = new MessageCache(file, uidValidity);
        cache.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE);
        try {
            cache.load();
        } catch (IOException | RuntimeException e) {
            cache.channel.close();
            throw e;
        }
        return cache;
    }

    public Path file() {
        return file;
    }

    public long uidValidity() {
        return uidValidity;
    }

    /** How many UIDs have a value. */
    public int size() {
        lock.readLock().lock();
        try {
            return offsets.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Octets the in-memory UID table takes. */
    long tableMemory() {
        lock.readLock().lock();
        try {
            return offsets.memory();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** How many records the file holds, dead ones included. */
    long records() {
        lock.readLock().lock();
        try {
            return records;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The value cached for {@code uid}; empty when there is none or its record no longer reads back intact. */
    public Optional<byte[]> get(long uid) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            lock.readLock().lock();
            try {
                if (closed) {
                    return Optional.empty();
                }
                long offset = offsets.get(uid);
                if (offset < 0) {
                    return Optional.empty();
                }
                byte[] value = read(uid, offset);
                if (value != null) {
                    return Optional.of(value);
                }
            } catch (ClosedChannelException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e; // this thread's interrupt closed it: let the caller see that
                }
                continue; // another thread's interrupt closed it: open it again, read again
            } finally {
                lock.readLock().unlock();
                if (attempt == 0) {
                    reopenIfLost();
                }
            }
            forget(uid);
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Caches {@code value} for {@code uid}, replacing any earlier one. Values over {@link #MAX_VALUE} are ignored. */
    public void put(long uid, byte[] value) throws IOException {
        if (uid <= 0) {
            throw new IllegalArgumentException("UIDs are positive");
        }
        if (value.length > MAX_VALUE) {
            return;
        }
        ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER + value.length);
        record.putLong(uid).putInt(value.length).putInt(crc(uid, value, 0, value.length)).put(value).flip();
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            reopenIfNeeded();
            // A failed write leaves garbage after `end`: the next append overwrites it, a reopen cuts it off.
            long at = end;
            while (record.hasRemaining()) {
                at += channel.write(record, at);
            }
            offsets.put(uid, end);
            end = at;
            records++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Forgets every UID for which {@code live} is false, and compacts the file when more than half of its records
     * are then dead. Call it with the folder's current UIDs now and then (the folder index does when it opens the
     * cache); UIDs added meanwhile may be dropped too, which costs only a re-parse.
     */
    public void retain(LongPredicate live) throws IOException {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            offsets = offsets.filtered(live);
            if (records - offsets.size() > records / 2) {
                compact();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                offsets = new UidTable(16);
                channel.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---- reading

    /** Reads and checks the record at {@code offset}; null when it is not {@code uid}'s or not intact. */
    private byte[] read(long uid, long offset) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(RECORD_HEADER);
        if (!readFully(head, offset)) {
            return null;
        }
        head.flip();
        long recordUid = head.getLong();
        int length = head.getInt();
        int crc = head.getInt();
        if (recordUid != uid || length < 0 || length > MAX_VALUE || offset + RECORD_HEADER + length > end) {
            log.warn("{}: record of UID {} at {} is damaged; dropping it", file, uid, offset);
            return null;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        if (!readFully(body, offset + RECORD_HEADER)) {
            return null;
        }
        byte[] value = body.array();
        if (crc(uid, value, 0, length) != crc) {
            log.warn("{}: record of UID {} at {} fails its CRC; dropping it", file, uid, offset);
            return null;
        }
        return value;
    }

    private boolean readFully(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                return false;
            }
            at += n;
        }
        return true;
    }

    /** Drops a UID whose record did not read back (damaged on disk, or the channel was lost). */
    private void forget(long uid) {
        lock.writeLock().lock();
        try {
            if (!closed) {
                offsets = offsets.filtered(u -> u != uid);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---- opening

    private void load() throws IOException {
        long size = channel.size();
        if (size < HEADER || !headerMatches()) {
            if (size > 0) {
                log.info("{}: discarding the cache (other version or UIDVALIDITY, or damaged)", file);
            }
            channel.truncate(0);
            writeHeader(channel);
            end = HEADER;
            return;
        }
        channel.position(HEADER);
        // Not closed: closing the stream would close the channel.
        var in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 20));
        long at = HEADER;
        byte[] value = new byte[4096];
        UidTable table = new UidTable(16);
        long count = 0;
        while (at + RECORD_HEADER <= size) {
            long uid;
            int length;
            int crc;
            try {
                uid = in.readLong();
                length = in.readInt();
                crc = in.readInt();
                if (uid <= 0 || length < 0 || length > MAX_VALUE || at + RECORD_HEADER + length > size) {
                    break;
                }
                if (value.length < length) {
                    value = new byte[Math.max(length, value.length * 2)];
                }
                in.readFully(value, 0, length);
            } catch (EOFException e) {
                break;
            }
            if (crc(uid, value, 0, length) != crc) {
                break;
            }
            table.put(uid, at);
            count++;
            at += RECORD_HEADER + length;
        }
        if (at < size) {
            log.info("{}: cutting {} octets of torn or damaged records at {}", file, size - at, at);
            channel.truncate(at);
        }
        offsets = table;
        records = count;
        end = at;
    }

    private boolean headerMatches() throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        if (!readFully(header, 0)) {
            return false;
        }
        header.flip();
        long magic = header.getLong();
        int version = header.getInt();
        long validity = header.getLong();
        int crc = header.getInt();
        return magic == MAGIC && version == VERSION && validity == uidValidity
                && crc == headerCrc(header.array());
    }

    private void writeHeader(FileChannel target) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        header.putLong(MAGIC).putInt(VERSION).putLong(uidValidity);
        header.putInt(headerCrc(header.array())).flip();
        long at = 0;
        while (header.hasRemaining()) {
            at += target.write(header, at);
        }
    }

    private static int headerCrc(byte[] header) {
        var crc = new CRC32C();
        crc.update(header, 0, HEADER - 4);
        return (int) crc.getValue();
    }

    private static int crc(long uid, byte[] value, int offset, int length) {
        var crc = new CRC32C();
        ByteBuffer head = ByteBuffer.allocate(12).putLong(uid).putInt(length).flip();
        crc.update(head);
        crc.update(value, offset, length);
        return (int) crc.getValue();
    }

    // ---- compaction

    /** Copies the live records into a new file, renames it over the old one, and reads on from it. */
    private void compact() throws IOException {
        reopenIfNeeded();
        Path tmp = file.resolveSibling(FILE + ".tmp");
        FileChannel next = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        long before = end;
        try {
            writeHeader(next);
            long[] byOffset = offsets.entriesByValue();
            UidTable table = new UidTable(offsets.size());
            long at = HEADER;
            ByteBuffer out = ByteBuffer.allocate(1 << 20);
            for (int i = 0; i < byOffset.length; i += 2) {
                long uid = byOffset[i];
                byte[] value = read(uid, byOffset[i + 1]);
                if (value == null) {
                    continue;
                }
                int size = RECORD_HEADER + value.length;
                if (out.remaining() < size) {
                    at = flush(next, out, at);
                    if (out.capacity() < size) {
                        out = ByteBuffer.allocate(size);
                    }
                }
                table.put(uid, at + out.position());
                out.putLong(uid).putInt(value.length).putInt(crc(uid, value, 0, value.length)).put(value);
            }
            at = flush(next, out, at);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            channel.close();
            channel = next;
            offsets = table;
            records = table.size();
            end = at;
        } catch (IOException | RuntimeException e) {
            next.close();
            Files.deleteIfExists(tmp);
            throw e;
        }
        log.debug("{}: compacted from {} to {} octets", file, before, end);
    }

    private static long flush(FileChannel target, ByteBuffer out, long at) throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            at += target.write(out, at);
        }
        out.clear();
        return at;
    }

    // ---- a channel closed under us

    /**
     * A FileChannel is closed for every thread when one thread is interrupted during its I/O. Then the file is
     * opened again (under the write lock: readers may be using the channel).
     */
    private void reopenIfLost() throws IOException {
        if (channel.isOpen()) {
            return;
        }
        lock.writeLock().lock();
        try {
            if (!closed) {
                reopenIfNeeded();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void reopenIfNeeded() throws IOException {
        if (!channel.isOpen()) {
            log.debug("{}: channel closed by an interrupt; opening the file again", file);
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
    }

    /**
     * UID → offset, open addressing with linear probing in two parallel arrays; 0 marks a free slot (UIDs start at
     * 1). Kept at most half full. Not thread-safe: guarded by the cache's lock.
     */
    static final class UidTable {
        private long[] keys;
        private long[] values;
        private int size;

        UidTable(int expected) {
            int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
            keys = new long[capacity];
            values = new long[capacity];
        }

        int size() {
            return size;
        }

        long get(long key) {
            int mask = keys.length - 1;
            for (int i = slot(key, mask); ; i = (i + 1) & mask) {
                long k = keys[i];
                if (k == key) {
                    return values[i];
                }
                if (k == 0) {
                    return -1;
                }
            }
        }

        void put(long key, long value) {
            if ((size + 1) * 2 > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            for (int i = slot(key, mask); ; i = (i + 1) & mask) {
                long k = keys[i];
                if (k == key) {
                    values[i] = value;
                    return;
                }
                if (k == 0) {
                    keys[i] = key;
                    values[i] = value;
                    size++;
                    return;
                }
            }
        }

        /** A new table with the entries whose key passes {@code keep}. */
        UidTable filtered(LongPredicate keep) {
            UidTable t = new UidTable(size);
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != 0 && keep.test(keys[i])) {
                    t.put(keys[i], values[i]);
                }
            }
            return t;
        }

        /** The entries as {@code key, value, key, value, ...}, ordered by value. */
        long[] entriesByValue() {
            long[][] pairs = new long[size][];
            int n = 0;
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != 0) {
                    pairs[n++] = new long[] {keys[i], values[i]};
                }
            }
            Arrays.sort(pairs, (a, b) -> Long.compare(a[1], b[1]));
            long[] flat = new long[size * 2];
            for (int i = 0; i < size; i++) {
                flat[2 * i] = pairs[i][0];
                flat[2 * i + 1] = pairs[i][1];
            }
            return flat;
        }

        long memory() {
            return 16L * keys.length;
        }

        private void grow() {
            long[] oldKeys = keys;
            long[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new long[oldValues.length * 2];
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    put(oldKeys[i], oldValues[i]);
                }
            }
        }

        private static int slot(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }
    }
}

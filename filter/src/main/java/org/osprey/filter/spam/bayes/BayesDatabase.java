package org.osprey.filter.spam.bayes;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One Bayes database (the global one, or a user's), kept in memory and stored durably in a directory: a snapshot
 * ({@code tokens}) and a journal of what was learned since ({@code journal}, fsync'd record by record). Another
 * process (the {@code osprey spam learn} command beside the running server) may write at the same time: writers
 * take an exclusive lock on {@code lock}, catch up with the journal, append, and now and then fold the journal into
 * a new snapshot; readers pick up other processes' changes by {@link #refresh()}. It also remembers which messages
 * it learned, and as what (by a digest of the message), so learning a message twice counts once and learning it
 * as the other class moves its tokens over.
 *
 * <p>The database has a size limit, as SpamAssassin's {@code bayes_expiry_max_db_size}: when the journal is folded
 * into a new snapshot and there are more tokens than {@code maxTokens}, the rarest are dropped until three quarters
 * of the limit remain (a token seen once or twice among a million tells the classifier next to nothing), and of
 * the message digests only the newest {@link #MAX_SEEN} are kept.
 */
public final class BayesDatabase {
    private static final long MAGIC = 0x4f53505942415931L; // "OSPYBAY1"
    private static final int MAX_RECORD = 16 + 4 * 3 + Tokenizer.MAX_TOKENS * 8;
    private static final long COMPACT_AT = 4L << 20;
    /** The default token limit: about 32 MB in memory (a hash table at most three quarters full) and 16 MB on disk. */
    public static final int DEFAULT_MAX_TOKENS = 1_000_000;
    /** Digests of learned messages kept: relearning or forgetting an older message than these is not recognised. */
    static final int MAX_SEEN = 200_000;

    /** What learning a message did. */
    public enum Learned { LEARNED, ALREADY, RELEARNED }

    private final Path dir;
    private final Path snapshotFile;
    private final Path journalFile;
    private final Path lockFile;
    private final int maxTokens;

    private TokenCounts counts = new TokenCounts();
    private LinkedHashMap<Long, Boolean> seen = new LinkedHashMap<>(); // digest -> learned as spam, oldest first
    private long spamMessages;
    private long hamMessages;
    /** Identity of the snapshot loaded and how far into the journal we read. */
    private Object snapshotKey;
    private long journalOffset;

    private BayesDatabase(Path dir, int maxTokens) {
        this.dir = dir;
        this.maxTokens = maxTokens;
        this.snapshotFile = dir.resolve("tokens");
        this.journalFile = dir.resolve("journal");
        this.lockFile = dir.resolve("lock");
    }

    /** Opens the database in {@code dir}; an absent directory is an empty database, created on first learning. */
    public static BayesDatabase open(Path dir) throws IOException {
        return open(dir, DEFAULT_MAX_TOKENS);
    }

    /** Opens the database in {@code dir}, keeping it to about {@code maxTokens} tokens. */
    public static BayesDatabase open(Path dir, int maxTokens) throws IOException {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens " + maxTokens);
        }
        BayesDatabase db = new BayesDatabase(dir, maxTokens);
        db.refresh();
        return db;
    }

    public synchronized long spamMessages() {
        return spamMessages;
    }

    public synchronized long hamMessages() {
        return hamMessages;
    }

    public synchronized int tokenCount() {
        return counts.size();
    }

    /** Copies the counts of {@code tokens} into the arrays (adding to what is there). */
    public synchronized void addCounts(long[] tokens, int[] spam, int[] ham) {
        for (int i = 0; i < tokens.length; i++) {
            spam[i] += counts.spam(tokens[i]);
            ham[i] += counts.ham(tokens[i]);
        }
    }

    /** Learns one message ({@code digest} identifies it, {@code tokens} are its tokens). */
    public Learned learn(long digest, long[] tokens, boolean spam) throws IOException {
        return learnAll(List.of(new Example(digest, tokens, spam))).getFirst();
    }

    /** A message to learn from. */
    public record Example(long digest, long[] tokens, boolean spam) {
    }

    /** Learns several messages under one lock and one fsync. */
    public synchronized List<Learned> learnAll(List<Example> examples) throws IOException {
        Files.createDirectories(dir);
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockChannel.lock()) {
            catchUp();
            java.util.ArrayList<Learned> results = new java.util.ArrayList<>();
            try (FileChannel journal = FileChannel.open(journalFile, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                for (Example e : examples) {
                    Boolean before = seen.get(e.digest());
                    if (before != null && before == e.spam()) {
                        results.add(Learned.ALREADY);
                        continue;
                    }
                    int spamDelta = e.spam() ? 1 : (before != null ? -1 : 0);
                    int hamDelta = e.spam() ? (before != null ? -1 : 0) : 1;
                    Record record = new Record(e.digest(), spamDelta, hamDelta, e.tokens());
                    ByteBuffer bytes = record.encode();
                    while (bytes.hasRemaining()) {
                        journal.write(bytes);
                    }
                    apply(record);
                    results.add(before == null ? Learned.LEARNED : Learned.RELEARNED);
                }
                journal.force(false);
                journalOffset = journal.size();
            }
            if (journalOffset > Math.max(COMPACT_AT, snapshotSize())) {
                compact();
            }
            return results;
        }
    }

    /** Takes back what was learned from a message; false when it was never learned. */
    public synchronized boolean forget(long digest, long[] tokens) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockChannel.lock()) {
            catchUp();
            Boolean before = seen.get(digest);
            if (before == null) {
                return false;
            }
            Record record = new Record(digest, before ? -1 : 0, before ? 0 : -1, tokens);
            try (FileChannel journal = FileChannel.open(journalFile, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ByteBuffer bytes = record.encode();
                while (bytes.hasRemaining()) {
                    journal.write(bytes);
                }
                journal.force(false);
                journalOffset = journal.size();
            }
            apply(record);
            return true;
        }
    }

    /** Empties the database (osprey spam forget). */
    public synchronized void reset() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockChannel.lock()) {
            Files.deleteIfExists(journalFile);
            Files.deleteIfExists(snapshotFile);
            clear();
            snapshotKey = null;
        }
    }

    /** Picks up what other processes learned: cheap when nothing changed (two file attribute reads). */
    public synchronized void refresh() throws IOException {
        if (java.util.Objects.equals(key(snapshotFile), snapshotKey) && size(journalFile) == journalOffset) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            catchUp(); // nothing learned yet, or reset: nothing to lock
            return;
        }
        // a writer folding the journal replaces the snapshot, then empties the journal: read neither half-way
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
             FileLock lock = lockChannel.lock(0, Long.MAX_VALUE, true)) {
            catchUp();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            catchUp(); // this process holds the lock through another instance: no writer can be half-way
        }
    }

    /**
     * Expires the rarest tokens and the oldest digests when over the limits, writes the whole database as a new
     * snapshot and empties the journal. Call with the lock held.
     */
    private void compact() throws IOException {
        if (counts.size() > maxTokens) {
            counts.expireRarest((int) (maxTokens * 3L / 4));
        }
        var oldest = seen.entrySet().iterator();
        for (int excess = seen.size() - MAX_SEEN; excess > 0; excess--) {
            oldest.next();
            oldest.remove();
        }
        Path tmp = dir.resolve("tokens.tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeLong(MAGIC);
            out.writeLong(spamMessages);
            out.writeLong(hamMessages);
            out.writeInt(counts.size());
            out.writeInt(seen.size());
            IOException[] failed = new IOException[1];
            counts.forEach((token, spam, ham) -> {
                try {
                    out.writeLong(token);
                    out.writeInt(spam);
                    out.writeInt(ham);
                } catch (IOException e) {
                    failed[0] = e;
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
            for (var e : seen.entrySet()) {
                out.writeLong(e.getKey());
                out.writeBoolean(e.getValue());
            }
        }
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        try {
            Files.move(tmp, snapshotFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, snapshotFile, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel journal = FileChannel.open(journalFile, StandardOpenOption.WRITE)) {
            journal.truncate(0);
            journal.force(true);
        }
        snapshotKey = key(snapshotFile);
        journalOffset = 0;
    }

    /** Reloads the snapshot if another process replaced it, then reads the journal from where we stopped. */
    private void catchUp() throws IOException {
        Object key = key(snapshotFile);
        long journalSize = size(journalFile);
        if (!java.util.Objects.equals(key, snapshotKey) || journalSize < journalOffset) {
            loadSnapshot();
            snapshotKey = key;
            journalOffset = 0;
        }
        if (journalSize > journalOffset) {
            readJournal();
        }
    }

    private void loadSnapshot() throws IOException {
        clear();
        InputStream raw;
        try {
            raw = Files.newInputStream(snapshotFile);
        } catch (NoSuchFileException e) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            if (in.readLong() != MAGIC) {
                throw new IOException(snapshotFile + " is not an Osprey Bayes database");
            }
            spamMessages = in.readLong();
            hamMessages = in.readLong();
            int tokens = in.readInt();
            int messages = in.readInt();
            counts = new TokenCounts(tokens);
            for (int i = 0; i < tokens; i++) {
                counts.add(in.readLong(), in.readInt(), in.readInt());
            }
            seen = new LinkedHashMap<>(Math.max(16, messages * 2));
            for (int i = 0; i < messages; i++) {
                seen.put(in.readLong(), in.readBoolean());
            }
        } catch (EOFException e) {
            throw new IOException(snapshotFile + " is cut short", e);
        }
    }

    /** Applies the journal's complete records after journalOffset; a record still being written waits. */
    private void readJournal() throws IOException {
        try (FileChannel journal = FileChannel.open(journalFile, StandardOpenOption.READ)) {
            journal.position(journalOffset);
            ByteBuffer length = ByteBuffer.allocate(4);
            while (true) {
                length.clear();
                if (readFully(journal, length) < 4) {
                    return;
                }
                int size = length.flip().getInt();
                if (size < 0 || size > MAX_RECORD) {
                    throw new IOException(journalFile + " is damaged at byte " + journalOffset);
                }
                ByteBuffer body = ByteBuffer.allocate(size);
                if (readFully(journal, body) < size) {
                    return;
                }
                apply(Record.decode(body.flip()));
                journalOffset += 4 + size;
            }
        } catch (NoSuchFileException e) {
            journalOffset = 0;
        }
    }

    private static int readFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private void apply(Record r) {
        for (long token : r.tokens()) {
            counts.add(token, r.spamDelta(), r.hamDelta());
        }
        spamMessages = Math.max(0, spamMessages + r.spamDelta());
        hamMessages = Math.max(0, hamMessages + r.hamDelta());
        seen.remove(r.digest()); // learned again: now the newest
        if (r.spamDelta() > 0) {
            seen.put(r.digest(), true);
        } else if (r.hamDelta() > 0) {
            seen.put(r.digest(), false);
        }
    }

    private void clear() {
        counts = new TokenCounts();
        seen = new LinkedHashMap<>();
        spamMessages = 0;
        hamMessages = 0;
    }

    private long snapshotSize() throws IOException {
        return size(snapshotFile);
    }

    private static long size(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private static Object key(Path file) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime().toMillis(), a.size());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** One journal entry: a message's digest, the change to its class counts, and its tokens. */
    private record Record(long digest, int spamDelta, int hamDelta, long[] tokens) {
        ByteBuffer encode() {
            int size = 8 + 4 + 4 + 4 + tokens.length * 8;
            ByteBuffer b = ByteBuffer.allocate(4 + size);
            b.putInt(size).putLong(digest).putInt(spamDelta).putInt(hamDelta).putInt(tokens.length);
            for (long t : tokens) {
                b.putLong(t);
            }
            return b.flip();
        }

        static Record decode(ByteBuffer b) throws IOException {
            long digest = b.getLong();
            int spam = b.getInt();
            int ham = b.getInt();
            int n = b.getInt();
            if (n < 0 || n * 8L != b.remaining()) {
                throw new IOException("damaged journal record");
            }
            long[] tokens = new long[n];
            for (int i = 0; i < n; i++) {
                tokens[i] = b.getLong();
            }
            return new Record(digest, spam, ham, tokens);
        }
    }
}

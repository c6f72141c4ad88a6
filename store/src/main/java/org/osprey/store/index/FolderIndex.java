package org.osprey.store.index;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.osprey.core.io.DirectorySync;
import org.osprey.store.Folders;
import org.osprey.store.MaildirNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index of one Maildir folder: IMAP UIDs, UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, and each message's MODSEQ,
 * flags, sizes and internal date, so SELECT, FETCH FLAGS and POP3's LIST never read a message or a directory that
 * did not change. One instance per folder directory, shared by every session (get it from {@link FolderIndexes});
 * thread-safe, one lock per folder.
 *
 * <p>The Maildir stays the source of truth and readable by Dovecot and mutt: flags live in the file names
 * ({@code :2,FRS} in ASCII order, keywords as letters a–z named by {@code dovecot-keywords}), messages move from
 * new/ to cur/ as Dovecot moves them, and whatever another program does to the files (drop one into new/, rename
 * one to change its flags, delete one) is picked up by {@link #sync}. The index only remembers, in the
 * {@code osprey-index} log beside cur/ and new/ (format in {@link LogRecord}, framing in {@link IndexLog}).
 *
 * <p>Invariants: a message's UID never changes and is never reused under one UIDVALIDITY; UIDs are given in the
 * order messages are found (sorted by file name, which starts with the delivery time); every change of a message's
 * flags and every expunge gets a MODSEQ above all before; UIDVALIDITY changes only when the index is rebuilt
 * because its log is damaged. Every method returns only once the log records behind what it reports are fsync'd
 * (including a concurrent caller's, whose changes it may see), and a method that renamed, wrote or deleted files
 * also once those directories are; fsyncs of concurrent callers are shared. So a crash never takes back a UID or
 * MODSEQ that a client was told.
 *
 * <p>Directories are re-read only when their mtime changed (see {@link DirWatch} for the same-second race), with
 * {@code File.list} and one hash lookup per name. A missing log is created from the Maildir, taking UIDs and
 * UIDVALIDITY from Dovecot's {@code dovecot-uidlist} when there is one; a log with a torn end (a crash during an
 * append) is cut back to its last good record; a log damaged anywhere else is kept aside and rebuilt with a new
 * UIDVALIDITY. Quota ({@code maildirsize}) is not touched here: the caller that appends or expunges accounts for it.
 */
public final class FolderIndex implements AutoCloseable {
    public static final String LOG_FILE = "osprey-index";
    private static final Logger log = LoggerFactory.getLogger(FolderIndex.class);
    private static final long COMPACT_MIN_BYTES = 256 * 1024;
    private static final int SCAN_ATTEMPTS = 3;
    /** A directory with fewer files than this is re-read on every check while its mtime is racy (DirWatch). */
    private static final int SMALL_DIRECTORY = 1000;
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();
    private static final ConcurrentHashMap<Path, Long> RECENT_UID_VALIDITIES = new ConcurrentHashMap<>();

    private final Path dir;
    private final Path newDir;
    private final Path curDir;
    private final Path tmpDir;
    private final DirectorySync directorySync;
    private final String host;
    private final ReentrantLock lock = new ReentrantLock();
    private final DirWatch newWatch;
    private final DirWatch curWatch;
    private final Set<Path> pendingDirSyncs = new LinkedHashSet<>();

    // guarded by lock
    private IndexLog indexLog;
    private MessageTable table = new MessageTable();
    private ExpungeHistory expunges = new ExpungeHistory();
    private long uidValidity;
    private long uidNext = 1;
    private long highestModSeq = 1;
    private long firstRecentUid = 1;
    private Keywords keywords = Keywords.EMPTY;
    private long keywordsStamp = Long.MIN_VALUE;
    private long required;
    private LogRecord.SyncPoint lastSyncPoint;
    private boolean syncPointStale;
    private boolean appendedSinceCompactionCheck;
    private boolean closed;
    private MessageCache cache;
    /** Told of every copy out of this folder (the registry publishes it as a store event). */
    private volatile java.util.function.Consumer<org.osprey.store.MessagesCopied> copied = event -> { };

    private FolderIndex(Path dir, DirectorySync directorySync, String host) {
        this.dir = dir;
        this.newDir = dir.resolve("new");
        this.curDir = dir.resolve("cur");
        this.tmpDir = dir.resolve("tmp");
        this.directorySync = directorySync;
        this.host = host;
        this.newWatch = new DirWatch(newDir);
        this.curWatch = new DirWatch(curDir);
    }

    /** Opens the index of a folder directory (the Maildir itself for INBOX, or a ".Name" directory). */
    public static FolderIndex open(Path folderDir, DirectorySync directorySync) throws IOException {
        return open(folderDir, directorySync, LocalHost.NAME);
    }

    /** As {@link #open(Path, DirectorySync)}; {@code host} goes into the names of appended and copied files. */
    public static FolderIndex open(Path folderDir, DirectorySync directorySync, String host) throws IOException {
        Path key = folderDir.toAbsolutePath().normalize();
        if (!OPEN.add(key)) {
            throw new IllegalStateException(key + " is already open in this process; share it through FolderIndexes");
        }
        FolderIndex index = new FolderIndex(key, directorySync, host);
        try {
            index.lock.lock();
            try {
                index.load();
            } finally {
                index.lock.unlock();
            }
            index.indexLog.awaitDurable(index.required);
        } catch (IOException | RuntimeException e) {
            if (index.indexLog != null) {
                try {
                    index.indexLog.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            OPEN.remove(key);
            throw e;
        }
        return index;
    }

    public Path directory() {
        return dir;
    }

    // ---- reading

    /** The whole folder as of now (after {@link #sync}, if the caller wants the Maildir's latest). */
    public FolderSnapshot snapshot() throws IOException {
        return locked(() -> new FolderSnapshot(uidValidity, uidNext, highestModSeq, firstRecentUid, table.snapshot(),
                keywords));
    }

    public long uidValidity() throws IOException {
        return locked(() -> uidValidity);
    }

    public long uidNext() throws IOException {
        return locked(() -> uidNext);
    }

    public long highestModSeq() throws IOException {
        return locked(() -> highestModSeq);
    }

    public Keywords keywords() throws IOException {
        return locked(() -> keywords);
    }

    public Optional<MessageEntry> message(long uid) throws IOException {
        return locked(() -> Optional.ofNullable(table.find(uid)));
    }

    /** Messages added or changed after {@code modSeq}, and UIDs expunged after it. */
    public Changes changesSince(long modSeq) throws IOException {
        return locked(() -> {
            List<MessageEntry> changed = new ArrayList<>();
            for (int slot = 0; slot < table.slots(); slot++) {
                MessageEntry e = table.slot(slot);
                if (e != null && e.modSeq() > modSeq) {
                    changed.add(e);
                }
            }
            return new Changes(highestModSeq, uidNext, changed, expunges.since(modSeq),
                    modSeq >= expunges.floor());
        });
    }

    /**
     * Opens a message's file for reading. If another program renamed it meanwhile (flags changed), the folder is
     * re-read and the new name opened; a message that is gone throws {@link NoSuchFileException}.
     */
    public FileChannel openMessage(long uid) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path file = locked(() -> {
                MessageEntry e = table.find(uid);
                return e == null ? null : path(e);
            });
            if (file == null) {
                throw new NoSuchFileException("message UID " + uid + " is expunged");
            }
            try {
                return FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                if (attempt == 1) {
                    throw e;
                }
                locked(() -> {
                    rescanAll();
                    return null;
                });
            }
        }
    }

    // ---- syncing with the Maildir

    /** {@link #sync(boolean) sync(false)}. */
    public SyncResult sync() throws IOException {
        return sync(false);
    }

    /**
     * Brings the index up to date with the Maildir: re-reads new/ and cur/ if they changed, gives new files the
     * next UIDs, notes renamed files' flags with a new MODSEQ, and expunges vanished files. With
     * {@code takeRecent} (a session selecting read-write) the messages not yet seen by such a session become
     * \Recent for this caller only, and files in new/ move to cur/ as Dovecot moves them.
     */
    public SyncResult sync(boolean takeRecent) throws IOException {
        return locked(() -> {
            var out = new SyncCollector();
            syncLocked(false, takeRecent, out);
            return out.result();
        });
    }

    // ---- changing

    /**
     * STORE: sets, adds or removes flags on messages, renaming their files (a message in new/ moves to cur/). Each
     * message whose flags change gets one new MODSEQ for this call; with {@code unchangedSince} ≥ 0 (CONDSTORE), a
     * message whose MODSEQ is above it is left alone and reported as modified. New keywords are given letters in
     * {@code dovecot-keywords}; when all 26 are taken an {@link IllegalArgumentException} says so, as it does for
     * a flag that is not a valid IMAP flag. {@code \Recent} is ignored.
     */
    public StoreResult storeFlags(Collection<Long> uids, FlagMode mode, Set<String> flags, long unchangedSince)
            throws IOException {
        return locked(() -> {
            if (mode != FlagMode.REMOVE) {
                defineKeywords(MaildirFlags.keywordsToDefine(flags, keywords));
            }
            int bits = MaildirFlags.bits(flags, keywords, mode == FlagMode.REMOVE);
            long modSeq = 0;
            List<MessageEntry> stored = new ArrayList<>();
            List<Long> modified = new ArrayList<>();
            List<Long> missing = new ArrayList<>();
            List<LogRecord> records = new ArrayList<>();
            DirWatch.Token newToken = newWatch.beforeOwnChange();
            DirWatch.Token curToken = curWatch.beforeOwnChange();
            try {
                for (long uid : new TreeSet<>(uids)) {
                    MessageEntry result = null;
                    boolean refused = false;
                    for (int attempt = 0; attempt < 2; attempt++) {
                        MessageEntry e = table.find(uid);
                        if (e == null) {
                            break;
                        }
                        if (unchangedSince >= 0 && e.modSeq() > unchangedSince) {
                            refused = true;
                            break;
                        }
                        int newBits = switch (mode) {
                            // keyword letters no name is known for belong to another program: keep them
                            case SET -> bits | (e.flagBits() & keywords.unnamedMask());
                            case ADD -> e.flagBits() | bits;
                            case REMOVE -> e.flagBits() & ~bits;
                        };
                        if (newBits == e.flagBits()) {
                            result = e;
                            break;
                        }
                        String info = IndexLog.shareInfo(MaildirFlags.info(e.info(), newBits));
                        try {
                            Files.move(path(e), curDir.resolve(e.baseName() + ":" + info),
                                    StandardCopyOption.ATOMIC_MOVE);
                        } catch (NoSuchFileException gone) {
                            if (attempt == 0) {
                                rescanAll(); // renamed or deleted by another program: learn which
                            }
                            continue;
                        }
                        if (modSeq == 0) {
                            modSeq = ++highestModSeq;
                        }
                        MessageEntry updated = e.withState(modSeq, info, false, newBits, keywords);
                        table.put(updated);
                        records.add(LogRecord.Message.of(updated));
                        pendingDirSyncs.add(curDir);
                        if (e.inNew()) {
                            pendingDirSyncs.add(newDir);
                        }
                        result = updated;
                        break;
                    }
                    if (refused) {
                        modified.add(uid);
                    } else if (result == null) {
                        missing.add(uid);
                    } else {
                        stored.add(result);
                    }
                }
            } finally {
                newWatch.afterOwnChange(newToken, System.currentTimeMillis());
                curWatch.afterOwnChange(curToken, System.currentTimeMillis());
                append(records);
            }
            return new StoreResult(modSeq, stored, modified, missing);
        });
    }

    /** Deletes messages (MOVE's second half; UID EXPUNGE should use {@link #expungeDeleted}). Returns the UIDs removed. */
    public List<Long> expunge(Collection<Long> uids) throws IOException {
        return expunge(uids, false);
    }

    /** Deletes those of {@code uids} (all messages when null) that have \Deleted at this moment. */
    public List<Long> expungeDeleted(Collection<Long> uids) throws IOException {
        return expunge(uids, true);
    }

    private List<Long> expunge(Collection<Long> uids, boolean onlyDeleted) throws IOException {
        return locked(() -> {
            Collection<Long> wanted = uids;
            if (wanted == null) {
                wanted = table.snapshot().stream().map(MessageEntry::uid).toList();
            }
            long modSeq = 0;
            List<Long> done = new ArrayList<>();
            List<LogRecord> records = new ArrayList<>();
            DirWatch.Token newToken = newWatch.beforeOwnChange();
            DirWatch.Token curToken = curWatch.beforeOwnChange();
            try {
                for (long uid : new TreeSet<>(wanted)) {
                    for (int attempt = 0; attempt < 2; attempt++) {
                        MessageEntry e = table.find(uid);
                        if (e == null || onlyDeleted && !e.has(MaildirFlags.DELETED)) {
                            break;
                        }
                        try {
                            Files.delete(path(e));
                        } catch (NoSuchFileException gone) {
                            if (attempt == 0) {
                                rescanAll();
                            }
                            continue;
                        }
                        if (modSeq == 0) {
                            modSeq = ++highestModSeq;
                        }
                        table.remove(uid);
                        expunges.add(uid, modSeq);
                        records.add(new LogRecord.Expunge(uid, modSeq));
                        pendingDirSyncs.add(e.inNew() ? newDir : curDir);
                        done.add(uid);
                        break;
                    }
                }
            } finally {
                newWatch.afterOwnChange(newToken, System.currentTimeMillis());
                curWatch.afterOwnChange(curToken, System.currentTimeMillis());
                append(records);
            }
            return done;
        });
    }

    /**
     * APPEND: writes a message (CRLF line endings, as IMAP sends it) into the folder with LF endings, the given
     * flags and internal date (epoch millis; 0 or less means now), and returns its UID. The file is written in
     * tmp/ and fsync'd, then renamed into cur/ and the directory fsync'd, the Maildir way.
     */
    public long append(InputStream crlfMessage, Set<String> flags, long internalDate) throws IOException {
        MaildirFlags.validate(flags); // refuse before writing anything
        String base = MaildirNames.unique(host);
        Path tmp = tmpDir.resolve(base);
        try {
            LfMessageWriter.Written written = LfMessageWriter.write(tmp, List.of(), crlfMessage, internalDate);
            long date = internalDate > 0 ? internalDate : Files.getLastModifiedTime(tmp).toMillis();
            var incoming = new Incoming(tmp, MaildirNames.withSizes(base, written.size(), written.virtualSize()),
                    written.size(), written.virtualSize(), date, flags);
            return adopt(List.of(incoming)).getFirst();
        } finally {
            Files.deleteIfExists(tmp); // still there only if something failed
        }
    }

    /** Who is told of copies out of this folder (one listener; the registry sets it). */
    public void onCopied(java.util.function.Consumer<org.osprey.store.MessagesCopied> listener) {
        this.copied = listener;
    }

    /**
     * COPY: puts copies of messages into {@code target} (hard links, as Dovecot makes them, or real copies across
     * file systems) with the same flags and internal date, and returns the UID pairs for COPYUID (RFC 4315),
     * source UID order. Messages that are gone are left out. Never holds both folders' locks at once.
     */
    public List<Copied> copyTo(FolderIndex target, Collection<Long> uids) throws IOException {
        List<MessageEntry> sources = locked(() -> {
            List<MessageEntry> found = new ArrayList<>();
            for (long uid : new TreeSet<>(uids)) {
                MessageEntry e = table.find(uid);
                if (e != null) {
                    found.add(e);
                }
            }
            return found;
        });
        List<Incoming> incoming = new ArrayList<>();
        List<Long> sourceUids = new ArrayList<>();
        try {
            for (MessageEntry source : sources) {
                String base = MaildirNames.withSizes(MaildirNames.unique(target.host), source.size(),
                        source.virtualSize());
                Path tmp = target.tmpDir.resolve(base);
                MessageEntry copied = linkOrCopy(source, tmp);
                if (copied != null) {
                    incoming.add(new Incoming(tmp, base, copied.size(), copied.virtualSize(), copied.internalDate(),
                            copied.flags()));
                    sourceUids.add(copied.uid());
                }
            }
            List<Long> targetUids = target.adopt(incoming);
            List<Copied> result = new ArrayList<>(targetUids.size());
            for (int i = 0; i < targetUids.size(); i++) {
                result.add(new Copied(sourceUids.get(i), targetUids.get(i)));
            }
            if (!targetUids.isEmpty()) {
                copied.accept(new org.osprey.store.MessagesCopied(dir, target.dir, targetUids));
            }
            return result;
        } finally {
            for (Incoming in : incoming) {
                Files.deleteIfExists(in.tmp());
            }
        }
    }

    /** Links (or copies) a message's file to {@code tmp}; follows a rename by another program; null when gone. */
    private MessageEntry linkOrCopy(MessageEntry message, Path tmp) throws IOException {
        MessageEntry e = message;
        for (int attempt = 0; ; attempt++) {
            Path source = path(e);
            try {
                try {
                    Files.createLink(tmp, source);
                } catch (NoSuchFileException gone) {
                    throw gone;
                } catch (FileSystemException | UnsupportedOperationException noLink) {
                    copyFile(source, tmp);
                }
                return e;
            } catch (NoSuchFileException gone) {
                if (attempt == 1) {
                    return null;
                }
                long uid = e.uid();
                e = locked(() -> {
                    rescanAll();
                    return table.find(uid);
                });
                if (e == null) {
                    return null;
                }
            }
        }
    }

    private static void copyFile(Path source, Path tmp) throws IOException {
        Files.copy(source, tmp, StandardCopyOption.COPY_ATTRIBUTES);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            DirectorySync.syncFile(channel);
        }
    }

    /** A message file written in tmp/, to be renamed into cur/ and given a UID. */
    private record Incoming(Path tmp, String baseName, long size, long virtualSize, long internalDate,
                            Set<String> flags) {
    }

    /** Renames files from tmp/ into cur/ with their flags and gives them the next UIDs, in order. */
    private List<Long> adopt(List<Incoming> incoming) throws IOException {
        if (incoming.isEmpty()) {
            return List.of();
        }
        return locked(() -> {
            Set<String> allFlags = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            incoming.forEach(in -> allFlags.addAll(in.flags()));
            defineKeywords(MaildirFlags.keywordsToDefine(allFlags, keywords));
            long modSeq = ++highestModSeq;
            List<Long> uids = new ArrayList<>();
            List<LogRecord> records = new ArrayList<>();
            DirWatch.Token curToken = curWatch.beforeOwnChange();
            try {
                for (Incoming in : incoming) {
                    int bits = MaildirFlags.bits(in.flags(), keywords, false);
                    String info = IndexLog.shareInfo(MaildirFlags.info(null, bits));
                    Files.move(in.tmp(), curDir.resolve(in.baseName() + ":" + info), StandardCopyOption.ATOMIC_MOVE);
                    var entry = new MessageEntry(uidNext++, modSeq, in.baseName(), info, false, bits, in.size(),
                            in.virtualSize(), in.internalDate(), keywords);
                    table.put(entry);
                    records.add(LogRecord.Message.of(entry));
                    uids.add(entry.uid());
                }
            } finally {
                curWatch.afterOwnChange(curToken, System.currentTimeMillis());
                pendingDirSyncs.add(curDir);
                append(records);
            }
            return uids;
        });
    }

    /** Flushes the index and releases the folder; later calls fail. Sessions share it: close via the registry. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                // Settle the directories' state (a due delayed re-read) so the next open can trust it.
                syncLocked(false, false, new SyncCollector());
                indexLog.awaitDurable(indexLog.written());
            } catch (IOException e) {
                log.debug("{}: final sync failed: {}", dir, e.toString());
            } finally {
                try {
                    indexLog.close();
                } finally {
                    closeCache();
                    OPEN.remove(dir);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The folder's {@link MessageCache} (the file {@value MessageCache#FILE} beside the log), opened on first use
     * for this index's UIDVALIDITY (a cache from another UIDVALIDITY is discarded) and closed with the index.
     * Entries of expunged messages are dropped when it opens, and again whenever it holds a quarter more entries
     * than the folder has messages; that is done after the folder lock is released.
     */
    public MessageCache cache() throws IOException {
        MessageCache opened;
        long[] live = null;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("folder index " + dir + " is closed");
            }
            if (cache == null || cache.uidValidity() != uidValidity) {
                closeCache();
                cache = MessageCache.open(dir.resolve(MessageCache.FILE), uidValidity);
                live = liveUids();
            } else if (cache.size() > table.size() + Math.max(64, table.size() / 4)) {
                live = liveUids();
            }
            opened = cache;
        } finally {
            lock.unlock();
        }
        if (live != null) {
            long[] uids = live;
            opened.retain(uid -> Arrays.binarySearch(uids, uid) >= 0);
        }
        return opened;
    }

    /** The UIDs of the folder's messages, ascending. */
    private long[] liveUids() {
        long[] uids = new long[table.size()];
        int n = 0;
        for (int slot = 0; slot < table.slots(); slot++) {
            MessageEntry e = table.slot(slot);
            if (e != null) {
                uids[n++] = e.uid();
            }
        }
        return n == uids.length ? uids : Arrays.copyOf(uids, n);
    }

    private void closeCache() {
        if (cache != null) {
            try {
                cache.close();
            } catch (IOException e) {
                log.debug("{}: closing the message cache failed: {}", dir, e.toString());
            }
            cache = null;
        }
    }

    /** True after an fsync of the log failed: nothing more can be promised; close and open again. */
    public boolean isBroken() {
        return indexLog.failed();
    }

    // ---- the locked frame

    private interface Action<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code action} under the folder lock, then, without the lock, waits until every log record and
     * directory change it relied on is on disk: its own, and those of a concurrent caller it may report.
     */
    private <T> T locked(Action<T> action) throws IOException {
        T result = null;
        Throwable failure = null;
        long mustBeDurable;
        List<Path> dirs;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("folder index " + dir + " is closed");
            }
            try {
                result = action.run();
                maybeCompact();
            } catch (IOException | RuntimeException | Error e) {
                failure = e; // what was done before it failed is visible to others: still make it durable
            }
            mustBeDurable = required;
            dirs = List.copyOf(pendingDirSyncs);
            pendingDirSyncs.clear();
        } finally {
            lock.unlock();
        }
        try {
            for (Path d : dirs) {
                directorySync.sync(d);
            }
            indexLog.awaitDurable(mustBeDurable);
        } catch (IOException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
        switch (failure) {
            case null -> {
                return result;
            }
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException(failure);
        }
    }

    private void append(List<LogRecord> records) throws IOException {
        if (!records.isEmpty()) {
            required = indexLog.append(records);
            appendedSinceCompactionCheck = true;
        }
    }

    private Path path(MessageEntry e) {
        return (e.inNew() ? newDir : curDir).resolve(e.fileName());
    }

    // ---- loading

    private void load() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such folder");
        }
        Folders.createMaildir(dir);
        refreshKeywords();
        Path file = dir.resolve(LOG_FILE);
        long damagedUidValidity = -1;
        if (Files.exists(file)) {
            IndexLog opened = IndexLog.open(file, directorySync);
            IndexLog.Replay replay;
            try {
                replay = opened.replay(this::apply);
            } catch (IOException | RuntimeException e) {
                opened.close();
                throw e;
            }
            switch (replay.status()) {
                case OK -> indexLog = opened;
                case TORN_TAIL -> {
                    log.warn("{}: {}, left by a crash during a write; nothing that was fsync'd is lost", file,
                            replay.problem());
                    indexLog = opened;
                }
                case EMPTY -> {
                    opened.close();
                    Files.delete(file);
                    resetState();
                }
                case DAMAGED -> {
                    opened.close();
                    damagedUidValidity = replay.uidValidity();
                    Path aside = dir.resolve(LOG_FILE + ".damaged");
                    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                    log.warn("{} is damaged ({}); kept as {}, rebuilding the index from the Maildir with a new "
                            + "UIDVALIDITY (clients will fetch the folder again)", file, replay.problem(),
                            aside.getFileName());
                    resetState();
                }
            }
        }
        if (indexLog == null) {
            create(damagedUidValidity < 0, damagedUidValidity);
            return;
        }
        if (lastSyncPoint != null && !syncPointStale) {
            newWatch.restore(lastSyncPoint.newMtime(), lastSyncPoint.newChecked());
            curWatch.restore(lastSyncPoint.curMtime(), lastSyncPoint.curChecked());
        }
        syncLocked(false, false, new SyncCollector());
    }

    /** Replays one log record into the state. */
    private void apply(LogRecord record) {
        switch (record) {
            case LogRecord.Header header -> uidValidity = header.uidValidity();
            case LogRecord.Message m -> {
                table.put(new MessageEntry(m.uid(), m.modSeq(), m.baseName(), m.info(), m.inNew(),
                        MaildirFlags.parse(m.info()), m.size(), m.virtualSize(), m.internalDate(), keywords));
                uidNext = Math.max(uidNext, m.uid() + 1);
                highestModSeq = Math.max(highestModSeq, m.modSeq());
                syncPointStale = true;
            }
            case LogRecord.Expunge x -> {
                table.remove(x.uid());
                expunges.add(x.uid(), x.modSeq());
                uidNext = Math.max(uidNext, x.uid() + 1);
                highestModSeq = Math.max(highestModSeq, x.modSeq());
                syncPointStale = true;
            }
            case LogRecord.Next next -> {
                uidNext = Math.max(uidNext, next.uidNext());
                highestModSeq = Math.max(highestModSeq, next.highestModSeq());
                expunges.raiseFloor(next.highestModSeq());
            }
            case LogRecord.Recent recent -> firstRecentUid = recent.firstRecentUid();
            case LogRecord.SyncPoint point -> {
                lastSyncPoint = point;
                syncPointStale = false;
            }
        }
    }

    private void resetState() {
        table = new MessageTable();
        expunges = new ExpungeHistory();
        uidValidity = 0;
        uidNext = 1;
        highestModSeq = 1;
        firstRecentUid = 1;
        lastSyncPoint = null;
        syncPointStale = false;
    }

    /**
     * Builds the index of a folder that has none: UIDs (and UIDVALIDITY) from dovecot-uidlist for the files it
     * lists, when allowed, then the next UIDs for the rest in file-name order.
     */
    private void create(boolean mayImport, long damagedUidValidity) throws IOException {
        long now = System.currentTimeMillis();
        long newBefore = newWatch.stat();
        long curBefore = curWatch.stat();
        TreeMap<String, MaildirDiff.Found> files = new TreeMap<>(MaildirNames.DELIVERY_ORDER);
        for (String name : list(newDir)) {
            MaildirDiff.found(name, true).ifPresent(f -> files.put(f.base(), f));
        }
        for (String name : list(curDir)) {
            MaildirDiff.found(name, false).ifPresent(f -> files.put(f.base(), f)); // cur/ wins: moved between the two reads
        }
        long newAfter = newWatch.stat();
        long curAfter = curWatch.stat();

        Optional<DovecotUidList> dovecot = mayImport ? DovecotUidList.read(dir) : Optional.empty();
        Map<Long, MaildirDiff.Found> byUid = new TreeMap<>();
        List<MaildirDiff.Found> unnumbered = new ArrayList<>();
        if (dovecot.isPresent()) {
            DovecotUidList list = dovecot.get();
            uidValidity = list.uidValidity();
            uidNext = list.nextUid();
            // Dovecot's MODSEQs live in its binary index, which is not read. Clients may have cached them (a small
            // counter); starting at the clock in milliseconds puts ours above any Dovecot could have handed out,
            // so a CONDSTORE client's CHANGEDSINCE never misses a change.
            highestModSeq = Math.max(1, now);
            for (MaildirDiff.Found f : files.values()) {
                Long uid = list.uids().get(f.base());
                if (uid != null && uid < uidNext && !byUid.containsKey(uid)) {
                    byUid.put(uid, f);
                } else {
                    unnumbered.add(f);
                }
            }
            firstRecentUid = uidNext; // what Dovecot never listed is new to IMAP
            log.info("{}: took over UIDVALIDITY {} and {} UIDs from {}", dir, uidValidity, byUid.size(),
                    DovecotUidList.FILE);
        } else {
            uidValidity = newUidValidity(dir, damagedUidValidity + 1);
            uidNext = 1;
            highestModSeq = 1;
            firstRecentUid = 1;
            unnumbered.addAll(files.values());
        }
        for (MaildirDiff.Found f : unnumbered) {
            byUid.put(uidNext++, f);
        }
        List<LogRecord> records = new ArrayList<>(byUid.size() + 4);
        records.add(new LogRecord.Header(LogRecord.VERSION, uidValidity));
        records.add(new LogRecord.Next(uidNext, highestModSeq));
        records.add(new LogRecord.Recent(firstRecentUid));
        for (Map.Entry<Long, MaildirDiff.Found> numbered : byUid.entrySet()) {
            MaildirDiff.Found f = numbered.getValue();
            MessageEntry entry = describe(numbered.getKey(), highestModSeq, f);
            if (entry != null) {
                table.put(entry);
                records.add(LogRecord.Message.of(entry));
            }
        }
        expunges.raiseFloor(highestModSeq);
        newWatch.scanned(newBefore, newAfter, now);
        curWatch.scanned(curBefore, curAfter, now);
        LogRecord.SyncPoint point = syncPoint();
        records.add(point);
        lastSyncPoint = point;
        indexLog = IndexLog.create(dir.resolve(LOG_FILE), directorySync, records);
        required = indexLog.written();
    }

    /** The entry for a file just found, or null when it is gone again or no regular file. */
    private MessageEntry describe(long uid, long modSeq, MaildirDiff.Found f) throws IOException {
        Path file = (f.inNew() ? newDir : curDir).resolve(f.name());
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!attributes.isRegularFile()) {
            return null;
        }
        long size = MaildirNames.size(f.base());
        if (size < 0) {
            size = attributes.size();
        }
        long virtualSize = MaildirNames.virtualSize(f.base());
        if (virtualSize < 0) {
            try {
                virtualSize = LfMessageWriter.virtualSize(file); // rare: files from programs that write no W=
            } catch (NoSuchFileException e) {
                return null;
            }
        }
        return new MessageEntry(uid, modSeq, f.base(), f.info(), f.inNew(), MaildirFlags.parse(f.info()), size,
                virtualSize, attributes.lastModifiedTime().toMillis(), keywords);
    }

    /**
     * RFC 9051 §2.3.1.1: a new UIDVALIDITY must be greater than any before for that mailbox name. The clock in
     * seconds gives that across restarts, as in Dovecot; a folder deleted and made again within one second gets
     * its last value + 1. Values the clock has passed are forgotten, so the map stays small.
     */
    private static long newUidValidity(Path folder, long atLeast) {
        long now = System.currentTimeMillis() / 1000;
        long value = RECENT_UID_VALIDITIES.merge(folder, Math.max(now, atLeast),
                (last, candidate) -> Math.max(candidate, last + 1));
        if (RECENT_UID_VALIDITIES.size() > 1024) {
            RECENT_UID_VALIDITIES.values().removeIf(v -> v < now);
        }
        return value;
    }

    // ---- scanning

    private void rescanAll() throws IOException {
        syncLocked(true, false, new SyncCollector());
    }

    private void syncLocked(boolean force, boolean takeRecent, SyncCollector out) throws IOException {
        refreshKeywords();
        long now = System.currentTimeMillis();
        long newMtime = newWatch.stat();
        long curMtime = curWatch.stat();
        int inNew = table.inNewCount();
        boolean scanNew = force || newWatch.needsScan(newMtime, now, inNew < SMALL_DIRECTORY);
        boolean scanCur = force || curWatch.needsScan(curMtime, now, table.size() - inNew < SMALL_DIRECTORY);
        if (scanNew || scanCur) {
            scan(scanNew, scanCur, newMtime, curMtime, now, out);
        }
        if (takeRecent) {
            takeRecent(out);
        }
        LogRecord.SyncPoint point = syncPoint();
        if (!point.equals(lastSyncPoint) && (point.newMtime() != 0 || point.curMtime() != 0)) {
            // Not waited for: losing it costs the next open one directory read.
            indexLog.append(List.of(point));
            lastSyncPoint = point;
        }
    }

    private LogRecord.SyncPoint syncPoint() {
        long newMtime = newWatch.persistableMtime();
        long curMtime = curWatch.persistableMtime();
        return new LogRecord.SyncPoint(newMtime, newMtime == 0 ? 0 : newWatch.checkedAt(), curMtime,
                curMtime == 0 ? 0 : curWatch.checkedAt());
    }

    /**
     * Reads the changed directories and applies the difference. new/ is read before cur/, so a file another
     * program moves from new/ to cur/ meanwhile is seen at least once. A file missing from a read is expunged only
     * when the read can be trusted: the directory did not change during it and its mtime was not racy, or a
     * second read agrees (a file renamed during readdir can be missed by it).
     */
    private void scan(boolean scanNew, boolean scanCur, long newMtime, long curMtime, long now, SyncCollector out)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            String[] newNames = scanNew ? list(newDir) : null;
            String[] curNames = scanCur ? list(curDir) : null;
            long newAfter = scanNew ? newWatch.stat() : newMtime;
            long curAfter = scanCur ? curWatch.stat() : curMtime;
            boolean stable = newAfter == newMtime && curAfter == curMtime;
            boolean racy = scanNew && racy(newMtime, now) || scanCur && racy(curMtime, now);
            MaildirDiff.Diff diff = MaildirDiff.compare(table, newNames, curNames);
            boolean confirmed = diff.vanished().isEmpty() || stable && (!racy || attempt > 1);
            if (confirmed || attempt == SCAN_ATTEMPTS) {
                applyDiff(diff, confirmed, out);
                if (!confirmed) {
                    // still changing under us: keep what was found, expunge nothing, look again next time
                    newWatch.invalidate();
                    curWatch.invalidate();
                    return;
                }
                if (scanNew) {
                    newWatch.scanned(newMtime, newAfter, now);
                }
                if (scanCur) {
                    curWatch.scanned(curMtime, curAfter, now);
                }
                return;
            }
            now = System.currentTimeMillis();
            newMtime = newAfter;
            curMtime = curAfter;
        }
    }

    private static boolean racy(long mtimeNanos, long nowMillis) {
        return nowMillis < Math.floorDiv(mtimeNanos, 1_000_000L) + DirWatch.RACY_MILLIS;
    }

    private static String[] list(Path directory) throws IOException {
        // File.list returns the names straight from readdir; Files.newDirectoryStream makes a Path per entry,
        // which is slower over 100,000 names.
        String[] names = directory.toFile().list();
        if (names == null) {
            if (!Files.isDirectory(directory)) {
                throw new NoSuchFileException(directory.toString());
            }
            throw new IOException("cannot read directory " + directory);
        }
        return names;
    }

    private void applyDiff(MaildirDiff.Diff diff, boolean expunge, SyncCollector out) throws IOException {
        List<LogRecord> records = new ArrayList<>();
        long modSeq = 0;
        for (MaildirDiff.Moved m : diff.moved()) {
            MessageEntry e = m.entry();
            int bits = MaildirFlags.parse(m.info());
            long entryModSeq = e.modSeq();
            if (bits != e.flagBits()) {
                if (modSeq == 0) {
                    modSeq = ++highestModSeq;
                }
                entryModSeq = modSeq;
                out.flagsChanged.add(e.uid());
            }
            MessageEntry updated = e.withState(entryModSeq, m.info(), m.inNew(), bits, keywords);
            table.put(updated);
            records.add(LogRecord.Message.of(updated));
        }
        if (expunge) {
            for (MessageEntry e : diff.vanished()) {
                if (modSeq == 0) {
                    modSeq = ++highestModSeq;
                }
                table.remove(e.uid());
                expunges.add(e.uid(), modSeq);
                records.add(new LogRecord.Expunge(e.uid(), modSeq));
                out.expunged.add(e.uid());
            }
        }
        for (MaildirDiff.Found f : diff.added()) {
            if (modSeq == 0) {
                modSeq = ++highestModSeq;
            }
            MessageEntry entry = describe(uidNext, modSeq, f);
            if (entry == null) {
                continue; // gone again; its directory's mtime changed, so the next sync looks again
            }
            uidNext++;
            table.put(entry);
            records.add(LogRecord.Message.of(entry));
            out.added.add(entry.uid());
        }
        append(records);
    }

    /** Makes the not-yet-taken messages \Recent for the caller, and moves new/ files to cur/ as Dovecot does. */
    private void takeRecent(SyncCollector out) throws IOException {
        List<LogRecord> records = new ArrayList<>();
        List<MessageEntry> inNew = new ArrayList<>();
        for (int slot = 0; slot < table.slots(); slot++) {
            MessageEntry e = table.slot(slot);
            if (e != null && e.inNew()) {
                inNew.add(e);
            }
        }
        if (!inNew.isEmpty()) {
            DirWatch.Token newToken = newWatch.beforeOwnChange();
            DirWatch.Token curToken = curWatch.beforeOwnChange();
            boolean lost = false;
            try {
                for (MessageEntry e : inNew) {
                    String info = e.info() == null ? "2," : e.info();
                    try {
                        Files.move(path(e), curDir.resolve(e.baseName() + ":" + info), StandardCopyOption.ATOMIC_MOVE);
                    } catch (NoSuchFileException gone) {
                        lost = true; // another program moved or deleted it: the next read tells
                        continue;
                    }
                    MessageEntry moved = e.withState(e.modSeq(), IndexLog.shareInfo(info), false, e.flagBits(),
                            e.keywords());
                    table.put(moved);
                    records.add(LogRecord.Message.of(moved));
                }
            } finally {
                newWatch.afterOwnChange(newToken, System.currentTimeMillis());
                curWatch.afterOwnChange(curToken, System.currentTimeMillis());
                if (lost) {
                    newWatch.invalidate();
                    curWatch.invalidate();
                }
                pendingDirSyncs.add(newDir);
                pendingDirSyncs.add(curDir);
            }
        }
        if (firstRecentUid < uidNext) {
            for (int slot = 0; slot < table.slots(); slot++) {
                MessageEntry e = table.slot(slot);
                if (e != null && e.uid() >= firstRecentUid) {
                    out.recent.add(e.uid());
                }
            }
            firstRecentUid = uidNext;
            records.add(new LogRecord.Recent(firstRecentUid));
        }
        append(records);
    }

    // ---- keywords

    private void refreshKeywords() throws IOException {
        long stamp = keywordsStamp();
        if (stamp == keywordsStamp) {
            return;
        }
        Keywords read = Keywords.read(dir);
        keywordsStamp = stamp;
        if (!read.equals(keywords)) {
            useKeywords(read);
        }
    }

    private long keywordsStamp() throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(dir.resolve(Keywords.FILE), BasicFileAttributes.class);
            return a.lastModifiedTime().to(TimeUnit.NANOSECONDS) * 31 + a.size();
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    /** Gives letters to new keywords, in dovecot-keywords first (durably), so no file name outlives its meaning. */
    private void defineKeywords(Set<String> missing) throws IOException {
        if (missing.isEmpty()) {
            return;
        }
        refreshKeywords(); // Dovecot may have added letters meanwhile
        int unnamedInUse = 0;
        for (int slot = 0; slot < this.table.slots(); slot++) {
            MessageEntry e = this.table.slot(slot);
            if (e != null) {
                unnamedInUse |= e.flagBits();
            }
        }
        unnamedInUse &= keywords.unnamedMask();
        Keywords table = keywords;
        for (String name : missing) {
            table = table.with(name, unnamedInUse);
        }
        if (table.equals(keywords)) {
            return;
        }
        table.write(dir, directorySync);
        keywordsStamp = keywordsStamp();
        useKeywords(table);
    }

    /** Entries carry their table (for {@link MessageEntry#flags}): all get the new one (rare: a new keyword). */
    private void useKeywords(Keywords table) {
        keywords = table;
        for (int slot = 0; slot < this.table.slots(); slot++) {
            MessageEntry e = this.table.slot(slot);
            if (e != null) {
                this.table.put(e.withState(e.modSeq(), e.info(), e.inNew(), e.flagBits(), table));
            }
        }
    }

    // ---- compaction

    /** Rewrites the log when it is more than twice what the live state needs (and not tiny). */
    private void maybeCompact() throws IOException {
        if (!appendedSinceCompactionCheck) {
            return;
        }
        appendedSinceCompactionCheck = false;
        long size = indexLog.size();
        if (size < COMPACT_MIN_BYTES || size <= 2 * estimatedLiveBytes()) {
            return;
        }
        List<MessageEntry> entries = table.snapshot();
        List<LogRecord> records = new ArrayList<>(entries.size() + 4);
        records.add(new LogRecord.Header(LogRecord.VERSION, uidValidity));
        records.add(new LogRecord.Next(uidNext, highestModSeq));
        records.add(new LogRecord.Recent(firstRecentUid));
        for (MessageEntry e : entries) {
            records.add(LogRecord.Message.of(e));
        }
        LogRecord.SyncPoint point = syncPoint();
        records.add(point);
        indexLog.rewrite(records);
        lastSyncPoint = point;
        required = indexLog.written();
        log.debug("{}: compacted index log from {} to {} bytes", dir, size, indexLog.size());
    }

    private long estimatedLiveBytes() {
        int count = table.slots();
        long sampled = 0;
        int samples = 0;
        for (int slot = 0; slot < count && samples < 64; slot += Math.max(1, count / 64)) {
            MessageEntry e = table.slot(slot);
            if (e != null) {
                sampled += LogRecord.Message.of(e).payload().length() + 10;
                samples++;
            }
        }
        long average = samples == 0 ? 100 : sampled / samples;
        return average * table.size() + 256;
    }

    /** Collects what one sync found; several internal scans may add to it. */
    private static final class SyncCollector {
        final List<Long> added = new ArrayList<>();
        final List<Long> expunged = new ArrayList<>();
        final List<Long> flagsChanged = new ArrayList<>();
        final List<Long> recent = new ArrayList<>();

        SyncResult result() {
            return new SyncResult(sorted(added), sorted(expunged), sorted(flagsChanged), sorted(recent));
        }

        private static List<Long> sorted(List<Long> uids) {
            return uids.stream().sorted().distinct().toList();
        }
    }

    /** The host name for new file names, looked up once (it may ask DNS). */
    private static final class LocalHost {
        static final String NAME = lookup();

        private static String lookup() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "localhost";
            }
        }
    }
}

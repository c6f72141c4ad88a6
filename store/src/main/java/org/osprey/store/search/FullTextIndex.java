package org.osprey.store.search;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.MultiPhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;
import org.osprey.store.index.FolderIndex;
import org.osprey.store.index.FolderSnapshot;
import org.osprey.store.index.MessageEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One user's full-text index (Lucene), answering IMAP SEARCH BODY and TEXT for all of the user's folders. It lives
 * in {@code <home>/osprey-fts/}, beside the Maildir and not in it, so Dovecot never takes it for a folder. A message
 * is a document keyed by (folder key, UIDVALIDITY, UID) — the folder key is the folder directory's path relative to
 * the Maildir ({@link #folderKey}): "" for INBOX, ".Sent" — holding its decoded header values and body text
 * ({@link MessageText}). One instance per user, shared by every session (get it from {@link FullTextIndexes});
 * thread-safe.
 *
 * <p>The index is a cache of the Maildir: {@link #catchUp} makes it match a folder (indexes what is missing, drops
 * expunged UIDs and old UIDVALIDITYs) and is called before every search, so messages appended, copied or moved by
 * anyone are found, and an index that is missing, lost in a crash or damaged is simply rebuilt. Which UIDs of a
 * folder are indexed is kept in memory as a sorted array (read once from the index's doc values), so catching up an
 * unchanged folder of 100,000 messages is one merge walk over two sorted lists. Changes are committed when
 * {@value #COMMIT_EVERY_DOCS} documents are pending or {@value #COMMIT_EVERY_SECONDS} seconds have passed (looked at on
 * every change and catch-up), by {@link #commit}, and on close: a crash loses only documents that the next catch-up
 * adds again. A corrupt index directory is deleted and rebuilt; a failure
 * the index cannot recover from is an {@link IOException} for the caller to fall back on reading the messages.
 *
 * <p>Query semantics (a deviation from IMAP, whose BODY and TEXT match any substring, shared with Dovecot's FTS
 * plugins): the query is split into words as the text was ({@link MailTokenizer}: letters and digits, case and
 * accents folded), and every word must match the start of a word of the message, in order and adjacent when there
 * are several ("hell wor" finds "Hello, World!"; "ello" finds nothing). A query without any word (only punctuation)
 * cannot be answered here: see {@link #searchable}.
 */
public final class FullTextIndex implements AutoCloseable {
    /** The index directory's name in the user's home. */
    public static final String DIRECTORY = "osprey-fts";
    static final int COMMIT_EVERY_DOCS = 1000;
    static final int COMMIT_EVERY_SECONDS = 30;

    private static final Logger log = LoggerFactory.getLogger(FullTextIndex.class);
    private static final String ID = "id";
    private static final String FOLDER = "folder";
    private static final String FOLDER_VALIDITY = "folderValidity";
    private static final String UID = "uid";
    private static final String UID_VALIDITY = "uidValidity";
    private static final String HEADER = "header";
    private static final String BODY = "body";
    /** Prefix terms a multi-word query may expand to, in all (Lucene counts them against its clause limit). */
    private static final int MAX_EXPANSIONS = 1000;
    private static final int DELETE_BATCH = 1024;

    /** What a search looks at. */
    public enum Field {
        /** The header fields' values. */
        HEADER,
        /** The body text. */
        BODY,
        /** Either: IMAP's TEXT. */
        TEXT
    }

    private final Path path;
    private final MailAnalyzer analyzer = new MailAnalyzer();
    /** Read-held by every operation, write-held to replace the writer after damage and to close. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final ConcurrentHashMap<String, FolderState> folders = new ConcurrentHashMap<>();
    private final AtomicInteger uncommitted = new AtomicInteger();
    private volatile long lastCommitNanos = System.nanoTime();
    /** Set by every change, cleared when searchers are refreshed. */
    private volatile boolean stale;

    // guarded by lifecycle
    private Directory directory;
    private IndexWriter writer;
    private SearcherManager searchers;
    private int generation;
    private boolean closed;

    private FullTextIndex(Path path) {
        this.path = path;
    }

    /**
     * Opens (or creates) the index in {@code home}/{@value #DIRECTORY}. A damaged index is deleted and created
     * empty; an index another process holds open ({@link LockObtainFailedException}) is an exception.
     */
    public static FullTextIndex open(Path home) throws IOException {
        FullTextIndex index = new FullTextIndex(location(home));
        index.lifecycle.writeLock().lock();
        try {
            index.attach();
        } finally {
            index.lifecycle.writeLock().unlock();
        }
        return index;
    }

    /** Where the index of the user with this home lives. */
    public static Path location(Path home) {
        return home.toAbsolutePath().normalize().resolve(DIRECTORY);
    }

    /** The folder key of a folder directory: its path relative to the Maildir ("" for INBOX, ".Sent"). */
    public static String folderKey(Path maildir, Path folderDir) {
        return maildir.toAbsolutePath().normalize().relativize(folderDir.toAbsolutePath().normalize()).toString();
    }

    /** The index directory. */
    public Path path() {
        return path;
    }

    /**
     * True when {@code text} has a word the index can look for. A query without one ("", "--") matches by
     * {@link #search} every message of the folder; the caller decides whether that is what it means.
     */
    public boolean searchable(String text) {
        return !analyzer.words(text).isEmpty();
    }

    // ---- changing

    /**
     * Indexes one message (replacing the document of the same UID, if any). {@code storedMessage} is read here (up
     * to {@link MessageText#MAX_CHARS} of text) and not closed. {@link #catchUp} does this for every message it
     * finds missing; calling it directly only makes a message searchable earlier.
     */
    public void add(String folderKey, long uidValidity, long uid, InputStream storedMessage) throws IOException {
        MessageText text = MessageText.extract(storedMessage);
        withIndex(() -> {
            FolderState state = folders.computeIfAbsent(folderKey, k -> new FolderState());
            state.lock.lock();
            try {
                write(folderKey, uidValidity, uid, text);
                if (state.uidValidity == uidValidity) {
                    state.add(uid);
                }
            } finally {
                state.lock.unlock();
            }
            maybeCommit();
            return null;
        });
    }

    /** Drops the documents of these UIDs (expunged messages). */
    public void remove(String folderKey, long uidValidity, Collection<Long> uids) throws IOException {
        if (uids.isEmpty()) {
            return;
        }
        long[] sorted = uids.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
        withIndex(() -> {
            FolderState state = folders.computeIfAbsent(folderKey, k -> new FolderState());
            state.lock.lock();
            try {
                delete(folderKey, uidValidity, sorted);
                if (state.uidValidity == uidValidity) {
                    state.removeAll(sorted);
                }
            } finally {
                state.lock.unlock();
            }
            maybeCommit();
            return null;
        });
    }

    /** Drops every document of a folder (deleted or renamed; a renamed folder is indexed afresh under its key). */
    public void removeFolder(String folderKey) throws IOException {
        withIndex(() -> {
            FolderState state = folders.computeIfAbsent(folderKey, k -> new FolderState());
            state.lock.lock();
            try {
                writer.deleteDocuments(new Term(FOLDER, folderTerm(folderKey)));
                changed(1);
                state.reset();
            } finally {
                state.lock.unlock();
            }
            maybeCommit();
            return null;
        });
    }

    /**
     * Makes the index match the folder as {@code index} has it now: indexes every message not yet indexed (read
     * through {@link FolderIndex#openMessage}), drops documents of UIDs no longer there and of other UIDVALIDITYs.
     * A message that vanishes meanwhile or cannot be read is left for the next call. Concurrent calls for one
     * folder run one after the other.
     */
    public void catchUp(FolderIndex index, String folderKey) throws IOException {
        withIndex(() -> {
            FolderState state = folders.computeIfAbsent(folderKey, k -> new FolderState());
            state.lock.lock();
            try {
                // taken under the folder's lock: an older snapshot would take newer messages for expunged ones
                FolderSnapshot snapshot = index.snapshot();
                if (state.uidValidity != snapshot.uidValidity()) {
                    load(state, folderKey, snapshot.uidValidity());
                }
                List<MessageEntry> missing = new ArrayList<>();
                long[] gone = state.diff(snapshot.messages(), missing);
                if (gone.length > 0) {
                    delete(folderKey, state.uidValidity, gone);
                    state.removeAll(gone);
                }
                for (MessageEntry message : missing) {
                    MessageText text = read(index, message);
                    if (text != null) {
                        write(folderKey, state.uidValidity, message.uid(), text);
                        state.add(message.uid());
                        maybeCommit();
                    }
                }
            } finally {
                state.lock.unlock();
            }
            maybeCommit();
            return null;
        });
    }

    private MessageText read(FolderIndex index, MessageEntry message) {
        try (FileChannel channel = index.openMessage(message.uid());
             InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 65536)) {
            return MessageText.extract(in);
        } catch (NoSuchFileException gone) {
            return null; // expunged meanwhile: the next snapshot no longer has it
        } catch (IOException e) {
            log.warn("{}: cannot index message UID {}: {}", index.directory(), message.uid(), e.toString());
            return null;
        }
    }

    // ---- searching

    /**
     * The UIDs (ascending) of the folder's messages under {@code uidValidity} whose {@code field} matches
     * {@code text} as this class describes. Only what is indexed is found: call {@link #catchUp} first.
     */
    public long[] search(String folderKey, long uidValidity, Field field, String text) throws IOException {
        List<String> words = analyzer.words(text);
        return withIndex(() -> {
            refreshIfStale();
            IndexSearcher searcher = searchers.acquire();
            try {
                Query query = new TermQuery(new Term(FOLDER_VALIDITY, folderValidityTerm(folderKey, uidValidity)));
                if (!words.isEmpty()) {
                    IndexReader reader = searcher.getIndexReader();
                    Query match = switch (field) {
                        case HEADER -> fieldQuery(reader, HEADER, words);
                        case BODY -> fieldQuery(reader, BODY, words);
                        case TEXT -> either(fieldQuery(reader, HEADER, words), fieldQuery(reader, BODY, words));
                    };
                    if (match == null) {
                        return new long[0];
                    }
                    query = new BooleanQuery.Builder().add(query, Occur.FILTER).add(match, Occur.FILTER).build();
                }
                long[] uids = searcher.search(query, new UidCollectorManager(UID, null));
                Arrays.sort(uids);
                return uids;
            } finally {
                searchers.release(searcher);
            }
        });
    }

    /** Number of indexed messages of the folder under {@code uidValidity} (for tests and statistics). */
    public int count(String folderKey, long uidValidity) throws IOException {
        return withIndex(() -> {
            refreshIfStale();
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.count(new TermQuery(new Term(FOLDER_VALIDITY,
                        folderValidityTerm(folderKey, uidValidity))));
            } finally {
                searchers.release(searcher);
            }
        });
    }

    private static Query either(Query a, Query b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return new BooleanQuery.Builder().add(a, Occur.SHOULD).add(b, Occur.SHOULD).setMinimumNumberShouldMatch(1)
                .build();
    }

    /**
     * Every word a prefix of a word in {@code field}, adjacent and in order: one word is a prefix query; several are
     * a phrase whose positions each allow the words the index has with that prefix. A position whose prefix has too
     * many words to list is left open in the phrase and required by a prefix query instead (so the match is looser,
     * never narrower). Null when nothing can match.
     */
    private static Query fieldQuery(IndexReader reader, String field, List<String> words) throws IOException {
        if (words.size() == 1) {
            return new PrefixQuery(new Term(field, words.getFirst()));
        }
        Terms terms = MultiTerms.getTerms(reader, field);
        if (terms == null) {
            return null;
        }
        MultiPhraseQuery.Builder phrase = new MultiPhraseQuery.Builder();
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        int budget = MAX_EXPANSIONS;
        boolean phraseUsed = false;
        for (int i = 0; i < words.size(); i++) {
            Term[] expanded = expand(terms, field, words.get(i), budget);
            if (expanded == null) {
                all.add(new PrefixQuery(new Term(field, words.get(i))), Occur.FILTER);
            } else if (expanded.length == 0) {
                return null;
            } else {
                budget -= expanded.length;
                phrase.add(expanded, i);
                phraseUsed = true;
            }
        }
        if (phraseUsed) {
            all.add(phrase.build(), Occur.FILTER);
        }
        return all.build();
    }

    /** The index's words in {@code field} starting with {@code prefix}; null when there are more than {@code max}. */
    private static Term[] expand(Terms terms, String field, String prefix, int max) throws IOException {
        List<Term> found = new ArrayList<>();
        BytesRef start = new BytesRef(prefix);
        TermsEnum e = terms.iterator();
        if (e.seekCeil(start) == TermsEnum.SeekStatus.END) {
            return new Term[0];
        }
        for (BytesRef term = e.term(); term != null && StringHelper.startsWith(term, start); term = e.next()) {
            if (found.size() == max) {
                return null;
            }
            found.add(new Term(field, BytesRef.deepCopyOf(term)));
        }
        return found.toArray(new Term[0]);
    }

    // ---- committing and closing

    /** Commits what was added or removed, so it survives a crash. */
    public void commit() throws IOException {
        withIndex(() -> {
            commitNow();
            return null;
        });
    }

    /** Commits and closes; later calls fail. */
    @Override
    public void close() throws IOException {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            detach(true);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void maybeCommit() throws IOException {
        int pending = uncommitted.get();
        if (pending > 0 && (pending >= COMMIT_EVERY_DOCS
                || System.nanoTime() - lastCommitNanos > TimeUnit.SECONDS.toNanos(COMMIT_EVERY_SECONDS))) {
            commitNow();
        }
    }

    private void commitNow() throws IOException {
        int pending = uncommitted.getAndSet(0);
        try {
            writer.commit();
            lastCommitNanos = System.nanoTime();
        } catch (IOException | RuntimeException e) {
            uncommitted.addAndGet(pending);
            throw e;
        }
    }

    // ---- documents

    private void write(String folderKey, long uidValidity, long uid, MessageText text) throws IOException {
        String id = id(folderKey, uidValidity, uid);
        Document doc = new Document();
        doc.add(new StringField(ID, id, Store.NO));
        doc.add(new StringField(FOLDER, folderTerm(folderKey), Store.NO));
        doc.add(new StringField(FOLDER_VALIDITY, folderValidityTerm(folderKey, uidValidity),
                Store.NO));
        doc.add(new NumericDocValuesField(UID, uid));
        doc.add(new NumericDocValuesField(UID_VALIDITY, uidValidity));
        for (String value : text.header()) {
            doc.add(new TextField(HEADER, MailAnalyzer.nfkc(value), Store.NO));
        }
        for (String value : text.body()) {
            doc.add(new TextField(BODY, MailAnalyzer.nfkc(value), Store.NO));
        }
        writer.updateDocument(new Term(ID, id), doc);
        changed(1);
    }

    private void delete(String folderKey, long uidValidity, long[] uids) throws IOException {
        for (int from = 0; from < uids.length; from += DELETE_BATCH) {
            int to = Math.min(uids.length, from + DELETE_BATCH);
            Term[] ids = new Term[to - from];
            for (int i = from; i < to; i++) {
                ids[i - from] = new Term(ID, id(folderKey, uidValidity, uids[i]));
            }
            writer.deleteDocuments(ids);
        }
        changed(uids.length);
    }

    private void changed(int documents) {
        uncommitted.addAndGet(documents);
        stale = true;
    }

    private void refreshIfStale() throws IOException {
        if (stale) {
            stale = false; // before refreshing: a change made meanwhile sets it again
            searchers.maybeRefreshBlocking();
        }
    }

    /**
     * Reads which UIDs of a folder are indexed under {@code uidValidity}, and drops the folder's documents of any
     * other UIDVALIDITY (the folder was rebuilt, or deleted and created again).
     */
    private void load(FolderState state, String folderKey, long uidValidity) throws IOException {
        refreshIfStale();
        long[] uids;
        boolean others;
        IndexSearcher searcher = searchers.acquire();
        try {
            Query folder = new TermQuery(new Term(FOLDER, folderTerm(folderKey)));
            uids = searcher.search(folder, new UidCollectorManager(UID, uidValidity));
            others = searcher.count(folder) != uids.length;
        } finally {
            searchers.release(searcher);
        }
        if (others) {
            writer.deleteDocuments(new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(FOLDER, folderTerm(folderKey))), Occur.FILTER)
                    .add(new TermQuery(new Term(FOLDER_VALIDITY, folderValidityTerm(folderKey, uidValidity))),
                            Occur.MUST_NOT)
                    .build());
            changed(1);
        }
        Arrays.sort(uids);
        state.set(uidValidity, uids);
    }

    private static String id(String folderKey, long uidValidity, long uid) {
        return folderValidityTerm(folderKey, uidValidity) + '/' + uid;
    }

    /** Folder keys are stored with a leading "/", so INBOX's "" is a term like the others. */
    private static String folderTerm(String folderKey) {
        return "/" + folderKey;
    }

    private static String folderValidityTerm(String folderKey, long uidValidity) {
        return "/" + folderKey + '\0' + uidValidity;
    }

    // ---- opening, damage and recovery

    private interface IndexAction<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code action} with the index open. If the index turns out damaged (corrupt files, or a writer closed by
     * a failure), it is reopened — deleted first when corrupt — and the action runs once more on the fresh index.
     */
    private <T> T withIndex(IndexAction<T> action) throws IOException {
        for (int attempt = 0; ; attempt++) {
            int seen = -1;
            Exception damage = null;
            lifecycle.readLock().lock();
            try {
                if (closed) {
                    throw new IOException("the full-text index " + path + " is closed");
                }
                seen = generation;
                return action.run();
            } catch (IOException | AlreadyClosedException e) {
                if (attempt > 0 || !isDamage(e)) {
                    throw e instanceof IOException io ? io : new IOException(e);
                }
                damage = e;
            } finally {
                lifecycle.readLock().unlock();
            }
            recover(seen, damage);
        }
    }

    private boolean isDamage(Exception e) {
        if (e instanceof AlreadyClosedException) {
            return true;
        }
        if (e instanceof LockObtainFailedException || e instanceof AccessDeniedException) {
            return false;
        }
        IndexWriter w = writer;
        return isCorruption(e) || (w != null && w.getTragicException() != null);
    }

    /**
     * Damage to the index's files: corrupt or missing (messages are read outside {@link #withIndex}'s failure path,
     * so a missing file here is one of the index's — someone deleted the directory under it).
     */
    private static boolean isCorruption(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CorruptIndexException || t instanceof IndexFormatTooOldException
                    || t instanceof IndexFormatTooNewException || t instanceof NoSuchFileException
                    || t instanceof FileNotFoundException || t instanceof EOFException) {
                return true;
            }
        }
        return false;
    }

    private void recover(int seen, Exception damage) throws IOException {
        lifecycle.writeLock().lock();
        try {
            if (closed || generation != seen) {
                return; // another caller recovered meanwhile
            }
            log.warn("full-text index {} failed ({}); reopening it{}", path, damage.toString(),
                    isCorruption(damage) ? " empty" : "");
            detach(false);
            if (isCorruption(damage)) {
                deleteTree(path);
            }
            attach();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /** Opens writer and searchers (under the write lock); a damaged index is deleted and created empty. */
    private void attach() throws IOException {
        try {
            open();
        } catch (LockObtainFailedException | AccessDeniedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            log.warn("full-text index {} cannot be opened ({}); deleting it, it will be rebuilt", path,
                    e.toString());
            detach(false);
            deleteTree(path);
            open();
        }
        generation++;
        folders.clear();
        uncommitted.set(0);
        stale = false;
    }

    private void open() throws IOException {
        Files.createDirectories(path);
        directory = FSDirectory.open(path);
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setCommitOnClose(true)
                .setRAMBufferSizeMB(16);
        writer = new IndexWriter(directory, config);
        searchers = new SearcherManager(writer, true, false, null);
    }

    /** Closes searchers, writer and directory (under the write lock), committing first when {@code commit}. */
    private void detach(boolean commit) throws IOException {
        IOException failure = null;
        try {
            if (searchers != null) {
                searchers.close();
            }
        } catch (IOException e) {
            failure = e;
        }
        try {
            if (writer != null) {
                if (commit && writer.isOpen() && writer.getTragicException() == null) {
                    writer.close();
                } else {
                    writer.rollback();
                }
            }
        } catch (IOException | AlreadyClosedException e) {
            if (commit) {
                failure = failure == null ? new IOException(e) : failure;
            }
        }
        try {
            if (directory != null) {
                directory.close();
            }
        } catch (IOException e) {
            failure = failure == null ? e : failure;
        }
        searchers = null;
        writer = null;
        directory = null;
        if (failure != null && commit) {
            throw failure;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    // ---- per-folder state

    /** Which UIDs of a folder are indexed, as a sorted array; valid for one UIDVALIDITY, -1 when not read yet. */
    private static final class FolderState {
        final ReentrantLock lock = new ReentrantLock();
        long uidValidity = -1;
        long[] uids = new long[0];
        int size;

        void reset() {
            uidValidity = -1;
            uids = new long[0];
            size = 0;
        }

        void set(long validity, long[] sortedUids) {
            uidValidity = validity;
            uids = sortedUids;
            size = sortedUids.length;
        }

        void add(long uid) {
            if (size > 0 && uid <= uids[size - 1]) {
                int at = Arrays.binarySearch(uids, 0, size, uid);
                if (at >= 0) {
                    return;
                }
                insert(-at - 1, uid);
                return;
            }
            insert(size, uid);
        }

        private void insert(int at, long uid) {
            if (size == uids.length) {
                uids = Arrays.copyOf(uids, Math.max(16, size + (size >> 1)));
            }
            System.arraycopy(uids, at, uids, at + 1, size - at);
            uids[at] = uid;
            size++;
        }

        void removeAll(long[] sorted) {
            int out = 0;
            int j = 0;
            for (int i = 0; i < size; i++) {
                long uid = uids[i];
                while (j < sorted.length && sorted[j] < uid) {
                    j++;
                }
                if (j < sorted.length && sorted[j] == uid) {
                    continue;
                }
                uids[out++] = uid;
            }
            size = out;
        }

        /** Walks the folder's messages (UID order) against the indexed UIDs: adds the missing, returns the gone. */
        long[] diff(List<MessageEntry> messages, List<MessageEntry> missing) {
            long[] gone = new long[0];
            int goneCount = 0;
            int i = 0;
            int j = 0;
            int n = messages.size();
            while (i < n || j < size) {
                long m = i < n ? messages.get(i).uid() : Long.MAX_VALUE;
                long h = j < size ? uids[j] : Long.MAX_VALUE;
                if (m == h) {
                    i++;
                    j++;
                } else if (m < h) {
                    missing.add(messages.get(i++));
                } else {
                    if (goneCount == gone.length) {
                        gone = Arrays.copyOf(gone, Math.max(16, goneCount * 2));
                    }
                    gone[goneCount++] = h;
                    j++;
                }
            }
            return Arrays.copyOf(gone, goneCount);
        }
    }

    /** Collects a numeric doc value (the UID) of every hit, optionally only of documents of one UIDVALIDITY. */
    private record UidCollectorManager(String field, Long uidValidity)
            implements CollectorManager<UidCollector, long[]> {
        @Override
        public UidCollector newCollector() {
            return new UidCollector(field, uidValidity);
        }

        @Override
        public long[] reduce(Collection<UidCollector> collectors) {
            int total = collectors.stream().mapToInt(c -> c.count).sum();
            long[] all = new long[total];
            int at = 0;
            for (UidCollector c : collectors) {
                System.arraycopy(c.values, 0, all, at, c.count);
                at += c.count;
            }
            return all;
        }
    }

    private static final class UidCollector implements Collector {
        final String field;
        final Long uidValidity;
        long[] values = new long[64];
        int count;

        UidCollector(String field, Long uidValidity) {
            this.field = field;
            this.uidValidity = uidValidity;
        }

        @Override
        public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
            NumericDocValues uids = DocValues.getNumeric(context.reader(), field);
            NumericDocValues validities = uidValidity == null ? null
                    : DocValues.getNumeric(context.reader(), UID_VALIDITY);
            return new LeafCollector() {
                @Override
                public void setScorer(Scorable scorer) {
                }

                @Override
                public void collect(int doc) throws IOException {
                    if (validities != null
                            && (!validities.advanceExact(doc) || validities.longValue() != uidValidity)) {
                        return;
                    }
                    if (uids.advanceExact(doc)) {
                        if (count == values.length) {
                            values = Arrays.copyOf(values, count * 2);
                        }
                        values[count++] = uids.longValue();
                    }
                }
            };
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }
    }
}

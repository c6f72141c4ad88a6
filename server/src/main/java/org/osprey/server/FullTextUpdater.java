package org.osprey.server;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.osprey.store.Folders;
import org.osprey.store.MailStore;
import org.osprey.store.MessageDelivered;
import org.osprey.store.index.FolderIndexes;
import org.osprey.store.search.FullTextIndex;
import org.osprey.store.search.FullTextIndexes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps users' full-text indexes current after deliveries, in the background, so a SEARCH BODY right after a
 * message arrived does not wait for it to be indexed. Several deliveries to one folder while an update is queued
 * share that update. A failure is only logged: the search itself catches up on whatever is missing.
 */
final class FullTextUpdater implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FullTextUpdater.class);

    private final MailStore store;
    private final FolderIndexes folderIndexes;
    private final FullTextIndexes fullText;
    private final ExecutorService executor = Executors.newFixedThreadPool(1, Thread.ofPlatform().daemon()
            .name("fts-updater").factory());
    private final Set<Path> queued = ConcurrentHashMap.newKeySet();

    FullTextUpdater(MailStore store, FolderIndexes folderIndexes, FullTextIndexes fullText) {
        this.store = store;
        this.folderIndexes = folderIndexes;
        this.fullText = fullText;
    }

    void delivered(MessageDelivered event) {
        Path maildir = store.layout().maildir(event.mailbox());
        Path folder = Folders.path(maildir, event.folder());
        if (queued.add(folder)) {
            executor.execute(() -> update(store.layout().home(event.mailbox()), maildir, folder));
        }
    }

    private void update(Path home, Path maildir, Path folder) {
        queued.remove(folder);
        try (FolderIndexes.Lease index = folderIndexes.acquire(folder);
             FullTextIndexes.Lease text = fullText.acquire(home)) {
            index.index().sync();
            text.index().catchUp(index.index(), FullTextIndex.folderKey(maildir, folder));
        } catch (Exception e) {
            log.warn("full-text update of {} failed: {}", folder, e.toString());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

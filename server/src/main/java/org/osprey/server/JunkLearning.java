package org.osprey.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.osprey.core.metrics.Metrics;
import org.osprey.filter.mail.ParsedMessage;
import org.osprey.filter.spam.SpamCheck;
import org.osprey.filter.spam.bayes.Bayes;
import org.osprey.filter.spam.bayes.BayesDatabase;
import org.osprey.store.MailboxLayout;
import org.osprey.store.MessagesCopied;
import org.osprey.store.index.FolderIndexes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a user's Bayes database from what the user does, as Dovecot's antispam plugin (or an IMAPSieve rule) does
 * for SpamAssassin: a message copied or moved into Junk is learned as spam, one taken out of Junk (anywhere but
 * Trash) as ham. Works on the store's copy events, so IMAP and any other client of the store count alike. Learning
 * runs on one background thread, in order, so the user's COPY or MOVE is not held up.
 */
final class JunkLearning {
    private static final Logger log = LoggerFactory.getLogger(JunkLearning.class);

    private final Bayes bayes;
    private final MailboxLayout layout;
    private final FolderIndexes indexes;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("junk-learning").factory());

    JunkLearning(Bayes bayes, MailboxLayout layout, FolderIndexes indexes) {
        this.bayes = bayes;
        this.layout = layout;
        this.indexes = indexes;
    }

    /** Called on the copying thread: decides quickly, learns later. */
    void copied(MessagesCopied event) {
        Optional<MailboxLayout.FolderOwner> from = layout.owner(event.sourceFolder());
        Optional<MailboxLayout.FolderOwner> to = layout.owner(event.targetFolder());
        if (from.isEmpty() || to.isEmpty()) {
            return;
        }
        boolean intoJunk = isJunk(to.get().folder()) && !isJunk(from.get().folder());
        boolean outOfJunk = isJunk(from.get().folder()) && !isJunk(to.get().folder())
                && !to.get().folder().equalsIgnoreCase("Trash");
        if (!intoJunk && !outOfJunk) {
            return;
        }
        String user = to.get().address();
        worker.execute(() -> learn(user, event, intoJunk));
    }

    private static boolean isJunk(String folder) {
        return folder.equalsIgnoreCase("Junk");
    }

    private void learn(String user, MessagesCopied event, boolean spam) {
        try (FolderIndexes.Lease lease = indexes.acquire(event.targetFolder())) {
            List<BayesDatabase.Example> examples = new ArrayList<>();
            for (long uid : event.targetUids()) {
                try (FileChannel file = lease.index().openMessage(uid);
                     InputStream in = Channels.newInputStream(file)) {
                    examples.add(Bayes.example(ParsedMessage.parse(in, SpamCheck.MAX_SCANNED), spam));
                } catch (java.nio.file.NoSuchFileException e) {
                    // expunged before we got to it
                }
            }
            // one lock and one fsync for the whole move
            long learned = bayes.user(user).learnAll(examples).stream()
                    .filter(result -> result != BayesDatabase.Learned.ALREADY).count();
            Metrics.count("osprey_spam_learned_total", "source", "junk", "class", spam ? "spam" : "ham");
            log.info("bayes: learned {} message(s) of {} as {} from a {} Junk", learned, user, spam ? "spam" : "ham",
                    spam ? "move into" : "move out of");
        } catch (IOException | RuntimeException e) {
            log.warn("bayes: cannot learn from {}'s move {} Junk: {}", user, spam ? "into" : "out of", e.toString());
        }
    }

    void close() {
        worker.shutdown();
    }
}

package org.osprey.store.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.io.DirectorySync;

/** Several sessions on one folder at once: appends, STOREs, syncs and reads. */
class FolderIndexConcurrencyTest {
    private static final List<String> FLAGS = List.of("\\Seen", "\\Flagged", "\\Answered", "Work", "Later",
            "$Label1");

    @TempDir
    Path root;

    @Test
    void concurrentStoresAndAppendsLoseNothing() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        for (int i = 1; i <= 50; i++) {
            Maildirs.deliver(inbox, "cur", 1700000000 + i, i, "Subject: " + i + "\n\nbody\n", "2,");
        }
        var directorySync = new DirectorySync();
        FolderIndex index = FolderIndex.open(inbox, directorySync, "osprey.test");
        var appended = new ConcurrentLinkedQueue<Long>();
        var storeModSeqs = new ConcurrentLinkedQueue<Long>();
        var readersOk = new AtomicBoolean(true);
        var stop = new AtomicBoolean();
        var start = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            for (int t = 0; t < 4; t++) {
                work.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 25; i++) {
                        appended.add(index.append(new ByteArrayInputStream(("Subject: appended " + i
                                + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8)), Set.of("\\Seen"), 0));
                    }
                    return null;
                }));
            }
            for (int t = 0; t < 4; t++) {
                work.add(pool.submit(() -> {
                    start.await();
                    var random = ThreadLocalRandom.current();
                    for (int i = 0; i < 100; i++) {
                        List<Long> uids = List.of((long) random.nextInt(1, 51), (long) random.nextInt(1, 51));
                        FlagMode mode = random.nextBoolean() ? FlagMode.ADD : FlagMode.REMOVE;
                        StoreResult result = index.storeFlags(uids, mode,
                                Set.of(FLAGS.get(random.nextInt(FLAGS.size()))), -1);
                        if (result.modSeq() > 0) {
                            storeModSeqs.add(result.modSeq());
                        }
                    }
                    return null;
                }));
            }
            for (int t = 0; t < 2; t++) {
                pool.submit(() -> {
                    start.await();
                    while (!stop.get()) {
                        index.sync();
                        List<MessageEntry> messages = index.snapshot().messages();
                        for (int i = 1; i < messages.size(); i++) {
                            if (messages.get(i).uid() <= messages.get(i - 1).uid()) {
                                readersOk.set(false);
                            }
                        }
                    }
                    return null;
                });
            }
            start.countDown();
            for (Future<?> f : work) {
                f.get();
            }
            stop.set(true);
        }

        assertThat(readersOk).isTrue();
        assertThat(appended).hasSize(100).doesNotHaveDuplicates();
        assertThat(appended).allMatch(uid -> uid > 50 && uid <= 150);
        assertThat(storeModSeqs).doesNotHaveDuplicates();
        FolderSnapshot snapshot = index.snapshot();
        assertThat(snapshot.messages()).extracting(MessageEntry::uid)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 150).boxed().toList());
        assertThat(snapshot.uidNext()).isEqualTo(151);
        assertThat(snapshot.highestModSeq()).isEqualTo(snapshot.messages().stream()
                .mapToLong(MessageEntry::modSeq).max().orElseThrow());
        // the files on disk are exactly what the index says
        assertThat(Maildirs.names(inbox.resolve("cur"))).containsExactlyInAnyOrderElementsOf(
                snapshot.messages().stream().map(MessageEntry::fileName).toList());
        assertThat(Maildirs.names(inbox.resolve("tmp"))).isEmpty();
        assertThat(Files.readAllLines(inbox.resolve(Keywords.FILE))).hasSizeLessThanOrEqualTo(3);

        index.close();
        try (FolderIndex again = FolderIndex.open(inbox, directorySync, "osprey.test")) {
            assertThat(again.snapshot()).isEqualTo(snapshot);
            assertThat(again.sync().isEmpty()).isTrue();
        }
    }
}

package org.osprey.store.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.io.DirectorySync;

class MessageCacheTest {
    @TempDir
    Path root;

    final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    MessageCache open(long uidValidity) throws IOException {
        MessageCache cache = MessageCache.open(root.resolve(MessageCache.FILE), uidValidity);
        opened.add(cache);
        return cache;
    }

    static byte[] value(long uid) {
        return ("(\"structure of " + uid + "\" " + "x".repeat((int) (uid % 50)) + ")").getBytes(StandardCharsets.UTF_8);
    }

    static String text(Optional<byte[]> value) {
        return value.map(v -> new String(v, StandardCharsets.UTF_8)).orElse("<none>");
    }

    @Test
    void roundTrip() throws IOException {
        MessageCache cache = open(7);
        assertThat(cache.get(1)).isEmpty();
        cache.put(1, value(1));
        cache.put(2, value(2));
        cache.put(3, new byte[0]);
        assertThat(text(cache.get(1))).isEqualTo(new String(value(1), StandardCharsets.UTF_8));
        assertThat(cache.get(2)).contains(value(2));
        assertThat(cache.get(3)).hasValueSatisfying(v -> assertThat(v).isEmpty());
        assertThat(cache.get(4)).isEmpty();
        cache.put(2, "replaced".getBytes(StandardCharsets.US_ASCII));
        assertThat(text(cache.get(2))).isEqualTo("replaced");
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.records()).isEqualTo(4);
    }

    @Test
    void tooLargeValuesAreNotCached() throws IOException {
        MessageCache cache = open(7);
        cache.put(1, new byte[MessageCache.MAX_VALUE + 1]);
        assertThat(cache.get(1)).isEmpty();
        assertThat(Files.size(cache.file())).isEqualTo(MessageCache.HEADER);
    }

    @Test
    void reopenKeepsEverything() throws IOException {
        MessageCache cache = open(7);
        for (long uid = 1; uid <= 100; uid++) {
            cache.put(uid, value(uid));
        }
        cache.put(50, value(5000));
        cache.close();
        MessageCache again = open(7);
        assertThat(again.size()).isEqualTo(100);
        assertThat(again.records()).isEqualTo(101);
        for (long uid = 1; uid <= 100; uid++) {
            assertThat(again.get(uid)).as("uid %d", uid).contains(uid == 50 ? value(5000) : value(uid));
        }
    }

    @Test
    void tornTailIsCutAndAppendingGoesOn() throws IOException {
        MessageCache cache = open(7);
        for (long uid = 1; uid <= 10; uid++) {
            cache.put(uid, value(uid));
        }
        cache.close();
        Path file = root.resolve(MessageCache.FILE);
        long full = Files.size(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(full - 3); // a crash in the middle of writing UID 10's record
        }
        MessageCache again = open(7);
        assertThat(again.size()).isEqualTo(9);
        assertThat(again.get(10)).isEmpty();
        assertThat(again.get(9)).contains(value(9));
        assertThat(Files.size(file)).isEqualTo(full - MessageCache.RECORD_HEADER - value(10).length);
        again.put(11, value(11));
        again.close();
        MessageCache third = open(7);
        assertThat(third.get(11)).contains(value(11));
        assertThat(third.size()).isEqualTo(10);
    }

    @Test
    void garbageAfterTheLastRecordIsCut() throws IOException {
        MessageCache cache = open(7);
        cache.put(1, value(1));
        cache.close();
        Path file = root.resolve(MessageCache.FILE);
        Files.write(file, new byte[4096], StandardOpenOption.APPEND); // zeros, as a crash can leave them
        MessageCache again = open(7);
        assertThat(again.get(1)).contains(value(1));
        assertThat(Files.size(file)).isEqualTo(MessageCache.HEADER + MessageCache.RECORD_HEADER + value(1).length);
    }

    @Test
    void corruptRecordCutsTheFileThereOnOpen() throws IOException {
        MessageCache cache = open(7);
        List<Long> offsets = new ArrayList<>();
        long at = MessageCache.HEADER;
        for (long uid = 1; uid <= 10; uid++) {
            offsets.add(at);
            cache.put(uid, value(uid));
            at += MessageCache.RECORD_HEADER + value(uid).length;
        }
        cache.close();
        flipByte(offsets.get(4) + MessageCache.RECORD_HEADER + 2); // in UID 5's value
        MessageCache again = open(7);
        for (long uid = 1; uid <= 4; uid++) {
            assertThat(again.get(uid)).contains(value(uid));
        }
        for (long uid = 5; uid <= 10; uid++) {
            assertThat(again.get(uid)).as("uid %d", uid).isEmpty();
        }
        assertThat(Files.size(again.file())).isEqualTo(offsets.get(4));
    }

    @Test
    void damageWhileOpenGivesAMissNotWrongData() throws IOException {
        MessageCache cache = open(7);
        cache.put(1, value(1));
        cache.put(2, value(2));
        long second = MessageCache.HEADER + MessageCache.RECORD_HEADER + value(1).length;
        flipByte(second + MessageCache.RECORD_HEADER);
        assertThat(cache.get(2)).isEmpty();
        assertThat(cache.get(1)).contains(value(1));
        // a record whose UID field was changed is not handed out under either UID
        flipByte(MessageCache.HEADER + 7);
        assertThat(cache.get(1)).isEmpty();
        assertThat(cache.size()).isZero();
        cache.put(1, value(1));
        assertThat(cache.get(1)).contains(value(1));
    }

    @Test
    void otherUidValidityDiscardsTheFile() throws IOException {
        MessageCache cache = open(7);
        cache.put(1, value(1));
        cache.close();
        MessageCache other = open(8);
        assertThat(other.get(1)).isEmpty();
        assertThat(other.size()).isZero();
        assertThat(Files.size(other.file())).isEqualTo(MessageCache.HEADER);
        other.put(2, value(2));
        other.close();
        assertThat(open(7).get(2)).isEmpty(); // discarded again: it was written for 8
        assertThat(reopenAlone(8).get(2)).isEmpty(); // and 7 discarded 8's
    }

    private MessageCache reopenAlone(long uidValidity) throws IOException {
        opened.forEach(c -> {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return open(uidValidity);
    }

    @Test
    void garbageFileIsDiscarded() throws IOException {
        Path file = root.resolve(MessageCache.FILE);
        Files.write(file, "this is not a cache file at all, but long enough to have a header".getBytes());
        MessageCache cache = open(7);
        assertThat(cache.size()).isZero();
        cache.put(1, value(1));
        cache.close();
        assertThat(open(7).get(1)).contains(value(1));
    }

    @Test
    void wrongVersionIsDiscarded() throws IOException {
        MessageCache cache = open(7);
        cache.put(1, value(1));
        cache.close();
        flipByte(11); // the version field
        assertThat(open(7).get(1)).isEmpty();
    }

    @Test
    void retainCompactsWhenMoreThanHalfIsDead() throws IOException {
        MessageCache cache = open(7);
        for (long uid = 1; uid <= 100; uid++) {
            cache.put(uid, value(uid));
        }
        long full = Files.size(cache.file());
        cache.retain(uid -> uid > 50); // exactly half dead: not yet
        assertThat(cache.size()).isEqualTo(50);
        assertThat(cache.records()).isEqualTo(100);
        assertThat(Files.size(cache.file())).isEqualTo(full);
        assertThat(cache.get(10)).isEmpty();

        cache.retain(uid -> uid > 51 && uid != 60);
        assertThat(cache.size()).isEqualTo(48);
        assertThat(cache.records()).isEqualTo(48);
        long expected = MessageCache.HEADER;
        for (long uid = 52; uid <= 100; uid++) {
            if (uid != 60) {
                expected += MessageCache.RECORD_HEADER + value(uid).length;
            }
        }
        assertThat(Files.size(cache.file())).isEqualTo(expected);
        assertThat(Files.exists(root.resolve(MessageCache.FILE + ".tmp"))).isFalse();
        for (long uid = 1; uid <= 100; uid++) {
            if (uid > 51 && uid != 60) {
                assertThat(cache.get(uid)).as("uid %d", uid).contains(value(uid));
            } else {
                assertThat(cache.get(uid)).as("uid %d", uid).isEmpty();
            }
        }
        cache.put(200, value(200)); // appending goes on in the new file
        cache.close();
        MessageCache again = open(7);
        assertThat(again.size()).isEqualTo(49);
        assertThat(again.get(200)).contains(value(200));
        assertThat(again.get(99)).contains(value(99));
    }

    @Test
    void replacedValuesCountAsDead() throws IOException {
        MessageCache cache = open(7);
        for (int round = 0; round < 3; round++) {
            for (long uid = 1; uid <= 10; uid++) {
                cache.put(uid, value(uid + round));
            }
        }
        cache.retain(uid -> true);
        assertThat(cache.records()).isEqualTo(10);
        assertThat(cache.get(3)).contains(value(5));
    }

    @Test
    void concurrentPutsAndGets() throws Exception {
        MessageCache cache = open(7);
        int threads = 16;
        int perThread = 500;
        var failures = new ConcurrentLinkedQueue<String>();
        var start = new CountDownLatch(1);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                int first = t * perThread + 1;
                pool.submit(() -> {
                    start.await();
                    for (long uid = first; uid < first + perThread; uid++) {
                        cache.put(uid, value(uid));
                        // read back our own and someone else's: either missing or exactly right
                        for (long probe : new long[] {uid, uid - perThread, (uid * 7919) % (threads * perThread) + 1}) {
                            Optional<byte[]> got = cache.get(probe);
                            if (probe == uid && got.isEmpty()) {
                                failures.add("own uid " + uid + " missing");
                            } else if (got.isPresent() && !java.util.Arrays.equals(got.get(), value(probe))) {
                                failures.add("uid " + probe + " has wrong data");
                            }
                        }
                        if (uid % 100 == 0) {
                            cache.retain(u -> true);
                        }
                    }
                    return null;
                });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(failures).isEmpty();
        assertThat(cache.size()).isEqualTo(threads * perThread);
        cache.close();
        MessageCache again = open(7);
        for (long uid = 1; uid <= threads * perThread; uid++) {
            assertThat(again.get(uid)).contains(value(uid));
        }
    }

    @Test
    void aHundredThousandEntriesStaySmallAndFast() throws IOException {
        int n = 100_000;
        MessageCache cache = open(7);
        byte[] structure = new byte[600]; // a typical ENVELOPE + BODYSTRUCTURE + BODY
        long t0 = System.nanoTime();
        for (long uid = 1; uid <= n; uid++) {
            structure[0] = (byte) uid;
            cache.put(uid, structure);
        }
        long putMillis = (System.nanoTime() - t0) / 1_000_000;
        cache.close();

        long t1 = System.nanoTime();
        MessageCache again = open(7);
        long openMillis = (System.nanoTime() - t1) / 1_000_000;
        assertThat(again.size()).isEqualTo(n);
        assertThat(again.tableMemory()).as("in-memory index").isLessThanOrEqualTo(4L << 20);

        long t2 = System.nanoTime();
        for (long uid = 1; uid <= n; uid++) {
            byte[] got = again.get(uid).orElseThrow();
            assertThat(got[0]).isEqualTo((byte) uid);
        }
        long getMillis = (System.nanoTime() - t2) / 1_000_000;

        long t3 = System.nanoTime();
        again.retain(uid -> uid % 3 == 0); // two thirds expunged: compacts
        long retainMillis = (System.nanoTime() - t3) / 1_000_000;
        assertThat(again.records()).isEqualTo(n / 3);
        assertThat(again.get(3)).isPresent();
        assertThat(again.get(4)).isEmpty();
        // generous bounds for a busy 2-core CI machine; typical: put 300 ms, open 150 ms, get 300 ms, retain 100 ms
        assertThat(putMillis).as("100k puts, ms").isLessThan(20_000);
        assertThat(openMillis).as("open with 100k records, ms").isLessThan(5_000);
        assertThat(getMillis).as("100k gets, ms").isLessThan(20_000);
        assertThat(retainMillis).as("compaction, ms").isLessThan(10_000);
    }

    // ---- through the folder index

    @Test
    void folderIndexOpensItLazilyAndDropsExpungedMessages() throws IOException {
        Path folder = Maildirs.folder(root, "Maildir");
        var directorySync = new DirectorySync();
        FolderIndex index = FolderIndex.open(folder, directorySync, "osprey.test");
        List<Long> uids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            uids.add(index.append(new ByteArrayInputStream(("Subject: " + i + "\r\n\r\nbody\r\n").getBytes()),
                    Set.of(), 0));
        }
        assertThat(Files.exists(folder.resolve(MessageCache.FILE))).isFalse();
        MessageCache cache = index.cache();
        assertThat(index.cache()).isSameAs(cache);
        assertThat(cache.uidValidity()).isEqualTo(index.uidValidity());
        for (long uid : uids) {
            cache.put(uid, value(uid));
        }
        index.expunge(uids.subList(0, 6));
        index.close();
        assertThat(cache.get(uids.get(9))).as("closed with the index").isEmpty();

        FolderIndex again = FolderIndex.open(folder, directorySync, "osprey.test");
        try {
            MessageCache reopened = again.cache();
            assertThat(reopened.size()).isEqualTo(4);
            assertThat(reopened.records()).as("compacted: 6 of 10 dead").isEqualTo(4);
            assertThat(reopened.get(uids.get(0))).isEmpty();
            assertThat(reopened.get(uids.get(9))).contains(value(uids.get(9)));
        } finally {
            again.close();
        }
    }

    @Test
    void folderIndexDropsExpungedEntriesWhileOpenToo() throws IOException {
        Path folder = Maildirs.folder(root, "Maildir");
        FolderIndex index = FolderIndex.open(folder, new DirectorySync(), "osprey.test");
        try {
            List<Long> uids = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                uids.add(index.append(new ByteArrayInputStream(("Subject: " + i + "\r\n\r\nb\r\n").getBytes()),
                        Set.of(), 0));
            }
            MessageCache cache = index.cache();
            for (long uid : uids) {
                cache.put(uid, value(uid));
            }
            index.expunge(uids.subList(0, 200));
            assertThat(index.cache()).isSameAs(cache);
            assertThat(cache.size()).isEqualTo(100);
            assertThat(cache.records()).isEqualTo(100);
        } finally {
            index.close();
        }
    }

    private void flipByte(long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(root.resolve(MessageCache.FILE), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            channel.read(b, offset);
            b.flip();
            byte x = b.get(0);
            channel.write(ByteBuffer.wrap(new byte[] {(byte) (x ^ 0x55)}), offset);
        }
    }
}

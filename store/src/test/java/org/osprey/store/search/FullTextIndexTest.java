package org.osprey.store.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.io.DirectorySync;
import org.osprey.store.Folders;
import org.osprey.store.index.FolderIndex;
import org.osprey.store.search.FullTextIndex.Field;

class FullTextIndexTest {
    @TempDir
    Path home;

    final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    FolderIndex folder(String name) throws IOException {
        Path maildir = home.resolve("Maildir");
        Path dir = Folders.path(maildir, name);
        Folders.createMaildir(dir);
        FolderIndex index = FolderIndex.open(dir, new DirectorySync(), "osprey.test");
        opened.add(index);
        return index;
    }

    FullTextIndex openFts() throws IOException {
        FullTextIndex fts = FullTextIndex.open(home);
        opened.add(fts);
        return fts;
    }

    static long append(FolderIndex folder, String message) throws IOException {
        byte[] crlf = message.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        return folder.append(new ByteArrayInputStream(crlf), Set.of(), 0);
    }

    static ByteArrayInputStream stream(String message) {
        return new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wordsMatchByPrefixInOrderCaseAndAccentsFolded() throws Exception {
        FullTextIndex fts = openFts();
        fts.add("", 7, 1, stream("Subject: Greetings\n\nHello, World! Regards from J\u00fcrgen M\u00fcller.\n"));
        fts.add("", 7, 2, stream("Subject: other\n\nthe world says hello\n"));
        fts.add("", 7, 3, stream("Subject: MULLER\n\nexample.com and foo_bar\n"));

        assertThat(fts.search("", 7, Field.BODY, "hello")).containsExactly(1, 2);
        assertThat(fts.search("", 7, Field.BODY, "HELL")).containsExactly(1, 2);
        assertThat(fts.search("", 7, Field.BODY, "hello world")).containsExactly(1);
        assertThat(fts.search("", 7, Field.BODY, "hel wor")).containsExactly(1);
        assertThat(fts.search("", 7, Field.BODY, "says hel")).containsExactly(2);
        assertThat(fts.search("", 7, Field.BODY, "world hello")).isEmpty();
        assertThat(fts.search("", 7, Field.BODY, "ello")).isEmpty(); // the documented deviation
        assertThat(fts.search("", 7, Field.BODY, "muller")).containsExactly(1);
        assertThat(fts.search("", 7, Field.BODY, "M\u00fcller")).containsExactly(1);
        assertThat(fts.search("", 7, Field.HEADER, "m\u00fcller")).containsExactly(3);
        assertThat(fts.search("", 7, Field.TEXT, "muller")).containsExactly(1, 3);
        assertThat(fts.search("", 7, Field.HEADER, "greet")).containsExactly(1);
        assertThat(fts.search("", 7, Field.BODY, "greet")).isEmpty();
        assertThat(fts.search("", 7, Field.BODY, "example.com")).containsExactly(3);
        assertThat(fts.search("", 7, Field.BODY, "foo_bar")).containsExactly(3);
        assertThat(fts.search("", 7, Field.BODY, "nothing")).isEmpty();
        assertThat(fts.search("", 8, Field.BODY, "hello")).isEmpty();
        assertThat(fts.search(".Sent", 7, Field.BODY, "hello")).isEmpty();
        assertThat(fts.searchable("--")).isFalse();
        assertThat(fts.searchable("a")).isTrue();
    }

    @Test
    void ideographsMatchAnywhereInARun() throws Exception {
        FullTextIndex fts = openFts();
        fts.add("", 1, 1, stream("Subject: x\n\n\u6771\u4eac\u90fd\u306b\u4f4f\u3093\u3067\u3044\u307e\u3059\n"));
        assertThat(fts.search("", 1, Field.BODY, "\u4eac\u90fd")).containsExactly(1);
        assertThat(fts.search("", 1, Field.BODY, "\u90fd\u4eac")).isEmpty();
    }

    @Test
    void catchUpIndexesTheFolderAndDropsExpungedMessages() throws Exception {
        FolderIndex inbox = folder("INBOX");
        long a = append(inbox, "Subject: first\n\nalpha text\n");
        long b = append(inbox, "Subject: second\n\nbeta text\n");
        FullTextIndex fts = openFts();
        long validity = inbox.uidValidity();

        assertThat(fts.search("", validity, Field.BODY, "text")).isEmpty();
        fts.catchUp(inbox, "");
        assertThat(fts.search("", validity, Field.BODY, "text")).containsExactly(a, b);

        long c = append(inbox, "Subject: third\n\ngamma text\n");
        inbox.expunge(List.of(a));
        fts.catchUp(inbox, "");
        assertThat(fts.search("", validity, Field.BODY, "text")).containsExactly(b, c);
        assertThat(fts.count("", validity)).isEqualTo(2);
    }

    @Test
    void foldersAreKeptApartAndOldUidValiditiesDropped() throws Exception {
        FolderIndex inbox = folder("INBOX");
        FolderIndex sent = folder("Sent");
        append(inbox, "Subject: in\n\nshared word\n");
        long s = append(sent, "Subject: out\n\nshared word\n");
        FullTextIndex fts = openFts();
        fts.add(".Sent", 1, 99, stream("Subject: stale\n\nshared word\n"));
        assertThat(fts.count(".Sent", 1)).isEqualTo(1);

        fts.catchUp(sent, ".Sent");
        assertThat(fts.search(".Sent", sent.uidValidity(), Field.BODY, "shared")).containsExactly(s);
        assertThat(fts.count(".Sent", 1)).isZero();
        assertThat(fts.search("", inbox.uidValidity(), Field.BODY, "shared")).isEmpty();
        assertThat(FullTextIndex.folderKey(home.resolve("Maildir"), sent.directory())).isEqualTo(".Sent");
        assertThat(FullTextIndex.folderKey(home.resolve("Maildir"), inbox.directory())).isEmpty();
    }

    @Test
    void aDeletedIndexIsRebuiltByCatchUp() throws Exception {
        FolderIndex inbox = folder("INBOX");
        long a = append(inbox, "Subject: one\n\nrebuild me\n");
        FullTextIndex fts = FullTextIndex.open(home);
        fts.catchUp(inbox, "");
        fts.close();
        deleteTree(FullTextIndex.location(home));

        fts = openFts();
        assertThat(fts.search("", inbox.uidValidity(), Field.BODY, "rebuild")).isEmpty();
        fts.catchUp(inbox, "");
        assertThat(fts.search("", inbox.uidValidity(), Field.BODY, "rebuild")).containsExactly(a);
    }

    @Test
    void aCorruptIndexIsDeletedAndRebuilt() throws Exception {
        FolderIndex inbox = folder("INBOX");
        long a = append(inbox, "Subject: one\n\ncorrupt me\n");
        FullTextIndex fts = FullTextIndex.open(home);
        fts.catchUp(inbox, "");
        fts.close();
        try (Stream<Path> files = Files.list(FullTextIndex.location(home))) {
            for (Path file : files.filter(f -> !f.getFileName().toString().equals("write.lock")).toList()) {
                Files.write(file, "garbage".getBytes(StandardCharsets.US_ASCII));
            }
        }

        fts = openFts();
        try (Stream<Path> files = Files.list(FullTextIndex.location(home))) {
            assertThat(files.map(f -> f.toFile().length()).toList()).doesNotContain(7L); // the garbage is gone
        }
        fts.catchUp(inbox, "");
        assertThat(fts.search("", inbox.uidValidity(), Field.BODY, "corrupt")).containsExactly(a);
    }

    @Test
    void anIndexDeletedWhileOpenIsRebuilt() throws Exception {
        FolderIndex inbox = folder("INBOX");
        long a = append(inbox, "Subject: one\n\nvanishing index\n");
        FullTextIndex fts = openFts();
        fts.catchUp(inbox, "");
        fts.commit();
        deleteTree(FullTextIndex.location(home));
        long b = append(inbox, "Subject: two\n\nvanishing again\n");
        fts.catchUp(inbox, "");
        fts.commit();
        assertThat(fts.search("", inbox.uidValidity(), Field.BODY, "vanishing")).containsExactly(a, b);
        assertThat(Files.isDirectory(FullTextIndex.location(home))).isTrue();
    }

    @Test
    void documentsLostInACrashAreAddedAgain() throws Exception {
        FolderIndex inbox = folder("INBOX");
        long a = append(inbox, "Subject: one\n\nsurvivor\n");
        FullTextIndex fts = openFts();
        fts.catchUp(inbox, "");
        fts.commit();
        long b = append(inbox, "Subject: two\n\nsurvivor too\n");
        fts.catchUp(inbox, ""); // not committed yet: a crash now loses it
        Path crashed = home.resolve("crashed");
        copyTree(FullTextIndex.location(home), crashed.resolve(FullTextIndex.DIRECTORY));

        FullTextIndex after = FullTextIndex.open(crashed);
        opened.add(after);
        assertThat(after.search("", inbox.uidValidity(), Field.BODY, "survivor")).containsExactly(a);
        after.catchUp(inbox, "");
        assertThat(after.search("", inbox.uidValidity(), Field.BODY, "survivor")).containsExactly(a, b);
    }

    @Test
    void concurrentCatchUpsIndexEachMessageOnce() throws Exception {
        FolderIndex inbox = folder("INBOX");
        for (int i = 0; i < 50; i++) {
            append(inbox, "Subject: m" + i + "\n\nconcurrent body " + i + "\n");
        }
        FullTextIndex fts = openFts();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Object>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit((Callable<Object>) () -> {
                    fts.catchUp(inbox, "");
                    return null;
                }));
            }
            for (Future<Object> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(fts.count("", inbox.uidValidity())).isEqualTo(50);
        assertThat(fts.search("", inbox.uidValidity(), Field.BODY, "concurrent")).hasSize(50);
    }

    @Test
    void catchingUpAnUnchangedFolderIsCheap() throws Exception {
        Path dir = home.resolve("Maildir");
        Folders.createMaildir(dir);
        int count = 10_000;
        for (int i = 0; i < count; i++) {
            String body = "Subject: bulk " + i + "\n\nbulk message number " + i + "\n";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            long lines = body.chars().filter(c -> c == '\n').count();
            String name = (1_700_000_000L + i) + ".M" + i + "P1Q1.test,S=" + bytes.length + ",W="
                    + (bytes.length + lines) + ":2,S";
            Files.write(dir.resolve("cur").resolve(name), bytes);
        }
        FolderIndex inbox = FolderIndex.open(dir, new DirectorySync(), "osprey.test");
        opened.add(inbox);
        FullTextIndex fts = openFts();
        fts.catchUp(inbox, "");
        assertThat(fts.count("", inbox.uidValidity())).isEqualTo(count);

        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            fts.catchUp(inbox, "");
            best = Math.min(best, System.nanoTime() - start);
        }
        assertThat(best / 1_000_000).as("milliseconds to catch up an unchanged folder").isLessThan(50);
        assertThat(fts.search("", inbox.uidValidity(), Field.BODY, "number 1234")).hasSize(1);
    }

    @Test
    void theRegistrySharesOneIndexPerUser() throws Exception {
        try (FullTextIndexes registry = new FullTextIndexes(1)) {
            FullTextIndexes.Lease first = registry.acquire(home);
            FullTextIndexes.Lease second = registry.acquire(home.resolve(".").resolve("x").getParent());
            assertThat(second.index()).isSameAs(first.index());
            first.close();
            second.close();
            assertThat(registry.openCount()).isEqualTo(1);
            Path other = Files.createDirectories(home.resolve("other-user"));
            registry.acquire(other).close();
            assertThat(registry.openCount()).isEqualTo(1); // the least recently used idle one was closed
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted((x, y) -> y.getNameCount() - x.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}

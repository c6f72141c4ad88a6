package org.osprey.store.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.io.DirectorySync;

/**
 * The IMAP issue's targets on a 100,000-message folder: opening it again ≤ 50 ms, listing every UID with its
 * flags ≤ 300 ms. Timings are printed; the assertions leave room for slow CI machines but would catch a design
 * that reads the directory or every file again.
 */
class FolderIndexPerformanceTest {
    private static final int MESSAGES = 100_000;

    @TempDir
    Path root;

    @Test
    void aHundredThousandMessagesOpenAgainAndListQuickly() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        Files.writeString(inbox.resolve(Keywords.FILE), "0 $Label1\n1 Work\n");
        String[] infos = {"2,S", "2,RS", "2,", "2,FS", "2,Sa", "2,Sb", "2,S", "2,DS"};
        long t = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++) {
            int size = 2000 + i % 5000;
            Files.createFile(inbox.resolve("cur/" + (1_600_000_000 + i * 7L) + ".M" + (i * 13 % 1_000_000) + "P"
                    + (1000 + i % 30000) + "Q" + i + ".mx.example.org,S=" + size + ",W=" + (size + 40) + ":"
                    + infos[i % infos.length]));
        }
        print("create %,d files", t);
        Maildirs.age(inbox); // a folder nobody changed in the last seconds
        var directorySync = new DirectorySync();

        t = System.nanoTime();
        FolderIndex first = FolderIndex.open(inbox, directorySync, "osprey.test");
        print("first open (build the index)", t);
        assertThat(first.snapshot().messages()).hasSize(MESSAGES);
        first.close();

        long bestOpen = Long.MAX_VALUE;
        long bestListing = Long.MAX_VALUE;
        for (int round = 1; round <= 5; round++) {
            t = System.nanoTime();
            FolderIndex index = FolderIndex.open(inbox, directorySync, "osprey.test");
            bestOpen = Math.min(bestOpen, print("open again from the log #" + round, t));

            t = System.nanoTime();
            FolderSnapshot snapshot = index.snapshot();
            long seen = 0;
            for (MessageEntry e : snapshot.messages()) {
                Set<String> flags = e.flags();
                if (e.uid() > 0 && flags.contains("\\Seen")) {
                    seen++;
                }
            }
            bestListing = Math.min(bestListing, print("list all UIDs and flags #" + round, t));
            assertThat(snapshot.messages()).hasSize(MESSAGES);
            assertThat(seen).isEqualTo(MESSAGES / 8 * 7);

            t = System.nanoTime();
            assertThat(index.sync().isEmpty()).isTrue();
            print("sync, nothing changed #" + round, t);
            index.close();
        }

        // how IMAP opens a folder again: the registry still holds it
        try (var indexes = new FolderIndexes(directorySync, "osprey.test", 16)) {
            indexes.acquire(inbox).close();
            t = System.nanoTime();
            try (var lease = indexes.acquire(inbox)) {
                lease.index().sync();
                print("open again through FolderIndexes (+ sync)", t);

                Files.createFile(inbox.resolve("cur/1700000000.M1P1Q1.dropped,S=10,W=11:2,"));
                t = System.nanoTime();
                assertThat(lease.index().sync().added()).containsExactly(MESSAGES + 1L);
                print("sync after a change in cur/ (re-read %,d names)", t);
                t = System.nanoTime();
                lease.index().storeFlags(List.of(5L), FlagMode.ADD, Set.of("\\Flagged"), -1);
                print("store flags on one message (fsyncs included)", t);
            }
        }
        // Targets: 50 ms and 300 ms on the IMAP issue's machine; generous bounds here for loaded CI runners.
        assertThat(bestOpen).as("ms to open a 100,000-message folder again").isLessThan(1000);
        assertThat(bestListing).as("ms to list 100,000 UIDs with flags").isLessThan(1000);
    }

    private static long print(String what, long startNanos) {
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        System.out.printf("[index 100k] %-45s %5d ms%n", what.formatted(MESSAGES), ms);
        return ms;
    }
}

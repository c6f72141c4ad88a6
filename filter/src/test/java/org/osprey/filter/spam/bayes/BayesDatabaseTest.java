package org.osprey.filter.spam.bayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durability, learning twice, changing class, forgetting, and a second instance (another process) seeing it all. */
class BayesDatabaseTest {
    @TempDir
    Path dir;

    private static int[] counts(BayesDatabase db, long token) {
        int[] spam = new int[1];
        int[] ham = new int[1];
        db.addCounts(new long[] {token}, spam, ham);
        return new int[] {spam[0], ham[0]};
    }

    @Test
    void learningTwiceCountsOnceAndTheOtherClassMovesTheTokens() throws IOException {
        BayesDatabase db = BayesDatabase.open(dir.resolve("global"));
        assertThat(db.learn(1, new long[] {10, 11}, true)).isEqualTo(BayesDatabase.Learned.LEARNED);
        assertThat(db.learn(1, new long[] {10, 11}, true)).isEqualTo(BayesDatabase.Learned.ALREADY);
        assertThat(db.learn(2, new long[] {11, 12}, false)).isEqualTo(BayesDatabase.Learned.LEARNED);
        assertThat(counts(db, 11)).containsExactly(1, 1);
        assertThat(db.learn(1, new long[] {10, 11}, false)).isEqualTo(BayesDatabase.Learned.RELEARNED);
        assertThat(counts(db, 10)).containsExactly(0, 1);
        assertThat(counts(db, 11)).containsExactly(0, 2);
        assertThat(db.spamMessages()).isZero();
        assertThat(db.hamMessages()).isEqualTo(2);
        assertThat(db.forget(2, new long[] {11, 12})).isTrue();
        assertThat(db.forget(2, new long[] {11, 12})).isFalse();
        assertThat(counts(db, 12)).containsExactly(0, 0);
        assertThat(db.hamMessages()).isEqualTo(1);
    }

    @Test
    void whatWasLearnedSurvivesAReopenAndAnotherInstanceSeesItOnRefresh() throws IOException {
        BayesDatabase writer = BayesDatabase.open(dir.resolve("global"));
        BayesDatabase reader = BayesDatabase.open(dir.resolve("global"));
        writer.learn(7, new long[] {1, 2, 3}, true);
        assertThat(counts(reader, 2)).containsExactly(0, 0);
        reader.refresh();
        assertThat(counts(reader, 2)).containsExactly(1, 0);
        reader.learn(8, new long[] {3, 4}, false); // the reader writes too: both append to one journal
        writer.refresh();
        assertThat(counts(writer, 3)).containsExactly(1, 1);
        BayesDatabase reopened = BayesDatabase.open(dir.resolve("global"));
        assertThat(reopened.spamMessages()).isEqualTo(1);
        assertThat(reopened.hamMessages()).isEqualTo(1);
        assertThat(counts(reopened, 4)).containsExactly(0, 1);
    }

    @Test
    void manyMessagesAreFoldedIntoASnapshotAndStillReadBack() throws IOException {
        BayesDatabase db = BayesDatabase.open(dir.resolve("global"));
        BayesDatabase other = BayesDatabase.open(dir.resolve("global"));
        List<BayesDatabase.Example> batch = new ArrayList<>();
        for (int m = 0; m < 2_000; m++) {
            long[] tokens = new long[300];
            for (int t = 0; t < tokens.length; t++) {
                tokens[t] = (long) m * 1000 + t;
            }
            batch.add(new BayesDatabase.Example(m, tokens, m % 2 == 0));
        }
        db.learnAll(batch); // 2,000 x 300 tokens x 8 bytes > 4 MB: compacted
        assertThat(Files.size(dir.resolve("global/journal"))).isZero();
        assertThat(Files.size(dir.resolve("global/tokens"))).isGreaterThan(1_000_000);
        db.learn(5_000, new long[] {-42}, true);
        other.refresh();
        assertThat(other.spamMessages()).isEqualTo(1_001);
        assertThat(other.hamMessages()).isEqualTo(1_000);
        assertThat(counts(other, 1_999_299L)).containsExactly(0, 1);
        assertThat(counts(other, -42)).containsExactly(1, 0);
        assertThat(other.learn(4, new long[] {1}, true)).as("remembered through the snapshot")
                .isEqualTo(BayesDatabase.Learned.ALREADY);
    }

    @Test
    void overTheLimitTheRarestTokensExpireWhenTheJournalIsFolded() throws IOException {
        BayesDatabase db = BayesDatabase.open(dir.resolve("global"), 100_000);
        List<BayesDatabase.Example> batch = new ArrayList<>();
        for (int m = 0; m < 2_000; m++) {
            long[] tokens = new long[300];
            tokens[0] = -1; // in every message
            tokens[1] = -2 - m % 10; // in every tenth
            for (int t = 2; t < tokens.length; t++) {
                tokens[t] = (long) m * 1000 + t; // in this message alone
            }
            batch.add(new BayesDatabase.Example(m, tokens, m % 2 == 0));
        }
        db.learnAll(batch); // ~600,000 tokens, over 4 MB of journal: folded, and expired on the way
        assertThat(Files.size(dir.resolve("global/journal"))).isZero();
        assertThat(db.tokenCount()).isEqualTo(75_000);
        assertThat(counts(db, -1)).containsExactly(1_000, 1_000);
        assertThat(counts(db, -2)).containsExactly(200, 0);
        assertThat(db.spamMessages()).isEqualTo(1_000);
        BayesDatabase reopened = BayesDatabase.open(dir.resolve("global"), 100_000);
        assertThat(reopened.tokenCount()).isEqualTo(75_000);
        assertThat(counts(reopened, -1)).containsExactly(1_000, 1_000);
        assertThat(reopened.learn(7, new long[] {1}, false)).as("what it learned is still known")
                .isEqualTo(BayesDatabase.Learned.ALREADY);
    }

    @Test
    void onlyTheNewestDigestsAreKeptAndRelearningMakesOneNew() throws IOException {
        BayesDatabase db = BayesDatabase.open(dir.resolve("global"));
        List<BayesDatabase.Example> first = new ArrayList<>();
        for (int m = 0; m < BayesDatabase.MAX_SEEN / 2; m++) {
            first.add(new BayesDatabase.Example(m, new long[] {m}, true));
        }
        db.learnAll(first);
        List<BayesDatabase.Example> second = new ArrayList<>();
        second.add(new BayesDatabase.Example(0, new long[] {0}, false)); // relearned: now the newest
        for (int m = BayesDatabase.MAX_SEEN / 2; m < BayesDatabase.MAX_SEEN + 10; m++) {
            second.add(new BayesDatabase.Example(m, new long[] {m}, true));
        }
        db.learnAll(second); // the journal outgrows 4 MB: folded, the 10 oldest digests dropped
        assertThat(Files.size(dir.resolve("global/journal"))).isZero();
        BayesDatabase reopened = BayesDatabase.open(dir.resolve("global"));
        assertThat(reopened.learn(0, new long[] {0}, false)).isEqualTo(BayesDatabase.Learned.ALREADY);
        assertThat(reopened.learn(11, new long[] {11}, true)).isEqualTo(BayesDatabase.Learned.ALREADY);
        assertThat(reopened.learn(1, new long[] {1}, true)).as("forgotten: learned as new")
                .isEqualTo(BayesDatabase.Learned.LEARNED);
    }

    @Test
    void resetEmptiesAndADamagedSnapshotIsRefusedClearly() throws IOException {
        BayesDatabase db = BayesDatabase.open(dir.resolve("global"));
        db.learn(1, new long[] {5}, true);
        db.reset();
        assertThat(db.spamMessages()).isZero();
        assertThat(BayesDatabase.open(dir.resolve("global")).tokenCount()).isZero();
        Files.writeString(dir.resolve("global/tokens"), "garbage that is not a database");
        assertThatThrownBy(() -> BayesDatabase.open(dir.resolve("global"))).isInstanceOf(IOException.class)
                .hasMessageContaining("not an Osprey Bayes database");
        assertThat(BayesDatabase.open(dir.resolve("absent")).spamMessages()).isZero();
    }
}

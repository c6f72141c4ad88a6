package org.osprey.filter.spam.bayes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chi-square combining on a synthetic vocabulary: spam words, ham words and words of both. */
class ClassifierTest {
    @TempDir
    Path dir;

    @Test
    void chiSquareTailMatchesKnownValues() {
        assertThat(Classifier.chiSquareQ(0, 2)).isEqualTo(1.0);
        assertThat(Classifier.chiSquareQ(5.991, 2)).isCloseTo(0.05, org.assertj.core.data.Offset.offset(0.001));
        assertThat(Classifier.chiSquareQ(18.307, 10)).isCloseTo(0.05, org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void separatesWhatItLearnedAndSaysNothingUntilTrained() throws IOException {
        BayesDatabase db = BayesDatabase.open(dir);
        Random random = new Random(7);
        List<BayesDatabase.Example> examples = new ArrayList<>();
        for (int m = 0; m < 500; m++) {
            boolean spam = m % 2 == 0;
            examples.add(new BayesDatabase.Example(m, message(random, spam), spam));
        }
        long[] spammy = message(random, true);
        assertThat(Classifier.probability(List.of(db), spammy)).isEmpty();
        db.learnAll(examples.subList(0, 100));
        assertThat(Classifier.probability(List.of(db), spammy)).as("50 of each is too few").isEmpty();
        db.learnAll(examples);
        assertThat(Classifier.probability(List.of(db), spammy).getAsDouble()).isGreaterThan(0.99);
        assertThat(Classifier.probability(List.of(db), message(random, false)).getAsDouble()).isLessThan(0.01);
        assertThat(Classifier.probability(List.of(db), new long[] {999_999_999L}).getAsDouble())
                .as("only unknown words").isEqualTo(0.5);
    }

    /** Words 0-999 shared, 1000-1999 spam, 2000-2999 ham; 60 shared and 20 of its class. */
    private static long[] message(Random random, boolean spam) {
        java.util.Set<Long> tokens = new java.util.HashSet<>();
        while (tokens.size() < 60) {
            tokens.add((long) random.nextInt(1000));
        }
        while (tokens.size() < 80) {
            tokens.add((long) (spam ? 1000 : 2000) + random.nextInt(1000));
        }
        return tokens.stream().mapToLong(Long::longValue).toArray();
    }
}

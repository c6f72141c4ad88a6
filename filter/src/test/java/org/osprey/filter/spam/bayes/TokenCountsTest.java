package org.osprey.filter.spam.bayes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The primitive token table against a HashMap doing the same random adds and removals. */
class TokenCountsTest {
    @Test
    void behavesLikeAMapUnderRandomAddsAndRemovals() {
        TokenCounts table = new TokenCounts(4);
        Map<Long, int[]> expected = new HashMap<>();
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            long token = random.nextInt(5_000) * 0x9E3779B97F4A7C15L; // spread, some colliding low bits
            if (random.nextInt(10) == 0) {
                token = 0; // the reserved key value works too
            }
            int spam = random.nextInt(3) - 1;
            int ham = random.nextInt(3) - 1;
            table.add(token, spam, ham);
            int[] before = expected.getOrDefault(token, new int[2]);
            int[] after = {Math.max(0, before[0] + spam), Math.max(0, before[1] + ham)};
            if (after[0] == 0 && after[1] == 0) {
                expected.remove(token);
            } else {
                expected.put(token, after);
            }
        }
        assertThat(table.size()).isEqualTo(expected.size());
        expected.forEach((token, counts) -> {
            assertThat(table.spam(token)).as("spam of %d", token).isEqualTo(counts[0]);
            assertThat(table.ham(token)).as("ham of %d", token).isEqualTo(counts[1]);
        });
        int[] visited = new int[1];
        table.forEach((token, spam, ham) -> visited[0]++);
        assertThat(visited[0]).isEqualTo(expected.size());
        assertThat(table.spam(123456789L)).isZero();
    }
}

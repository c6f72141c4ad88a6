package org.osprey.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sequence sets (RFC 3501 §9, RFC 5182 $). */
class SequenceSetTest {

    @Test
    void parsesRangesStarAndSaved() {
        SequenceSet set = SequenceSet.parse("2,4:7,9,12:*", 100);
        assertThat(set.ranges()).containsExactly(new SequenceSet.Range(2, 2), new SequenceSet.Range(4, 7),
                new SequenceSet.Range(9, 9), new SequenceSet.Range(12, SequenceSet.STAR));
        assertThat(set.savedResult()).isFalse();
        assertThat(set.usesStar()).isTrue();
        assertThat(set.toString()).isEqualTo("2,4:7,9,12:*");
        assertThat(SequenceSet.parse("$", 100)).isEqualTo(SequenceSet.SAVED);
        assertThat(SequenceSet.parse("1,$", 100)).isEqualTo(new SequenceSet(List.of(new SequenceSet.Range(1, 1)),
                true));
        assertThat(SequenceSet.parse("4294967295", 1).ranges().getFirst().first()).isEqualTo(4294967295L);
    }

    @Test
    void rangesAreResolvedAgainstTheLargestNumber() {
        // RFC 3501 §9: "*:4" and "4:*" are the same; "*" is the largest number in use
        SequenceSet set = SequenceSet.parse("7:*", 10);
        assertThat(set.contains(5, 5)).isTrue();
        assertThat(set.contains(6, 5)).isTrue(); // 7:* with 5 messages is 5:7
        assertThat(set.contains(8, 5)).isFalse();
        assertThat(set.contains(4, 5)).isFalse();
        assertThat(set.contains(9, 20)).isTrue();
        assertThat(SequenceSet.parse("5:2", 10).contains(3, 10)).isTrue();
        assertThat(SequenceSet.parse("*", 10).contains(10, 10)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "1:", "*:", ":1", "1,", ",1", "1,,2", "1:2:3", "a", "1:0", "4294967296",
            "99999999999999999999999"})
    void rejects(String text) {
        assertThatThrownBy(() -> SequenceSet.parse(text, 100)).isInstanceOf(ImapParseException.class);
    }

    @Test
    void countsRanges() {
        assertThat(SequenceSet.parse("1,2,3", 3).ranges()).hasSize(3);
        assertThatThrownBy(() -> SequenceSet.parse("1,2,3,4", 3)).isInstanceOf(ImapParseException.class)
                .hasMessage("Too many ranges in sequence set (limit 3)");
    }
}

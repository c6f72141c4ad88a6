package org.osprey.sieve.match;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ComparatorTest {
    @Test
    void asciiCasemapFoldsOnlyAsciiLettersToUpperCase() {
        assertThat(Comparator.ASCII_CASEMAP.equal("Hello", "hELLO")).isTrue();
        assertThat(Comparator.ASCII_CASEMAP.equal("ä", "Ä")).isFalse();
        // RFC 4790 §9.2: compared after mapping to upper case, so "_" (0x5F) sorts after "A" but before "a"'s fold
        assertThat(Comparator.ASCII_CASEMAP.compare("_", "a")).isPositive();
        assertThat(Comparator.OCTET.compare("_", "a")).isNegative();
    }

    @Test
    void octetOrderIsCodePointOrder() {
        // U+FF21 sorts before U+1F600 in UTF-8 octets, although its UTF-16 unit is larger than the high surrogate
        assertThat(Comparator.OCTET.compare("\uFF21", "\uD83D\uDE00")).isNegative();
        assertThat(Comparator.OCTET.compare("a", "ab")).isNegative();
    }

    @Test
    void asciiNumeric() {
        Comparator n = Comparator.ASCII_NUMERIC;
        assertThat(n.equal("007", "7")).isTrue();
        assertThat(n.equal("7 apples", "7")).isTrue();
        assertThat(n.compare("10", "9")).isPositive();
        assertThat(n.compare("123456789012345678901234567890", "123456789012345678901234567889")).isPositive();
        assertThat(n.compare("x", "99999")).isPositive(); // no digit: positive infinity
        assertThat(n.equal("x", "y")).isTrue();
        assertThat(n.equal("0", "00")).isTrue();
        assertThat(n.supportsSubstring()).isFalse();
    }

    @Test
    void relations() {
        assertThat(Relation.of("GE")).contains(Relation.GE);
        assertThat(Relation.of("gx")).isEmpty();
        assertThat(Relation.NE.holds(0)).isFalse();
        assertThat(Relation.LE.holds(-1)).isTrue();
    }
}

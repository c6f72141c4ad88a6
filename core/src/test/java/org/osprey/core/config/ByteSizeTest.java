package org.osprey.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
    @Test
    void parsesWhatAdminsWrite() {
        assertThat(ByteSize.parse("0")).isZero();
        assertThat(ByteSize.parse("512")).isEqualTo(512);
        assertThat(ByteSize.parse("100K")).isEqualTo(100 * 1024);
        assertThat(ByteSize.parse("50m")).isEqualTo(50L << 20);
        assertThat(ByteSize.parse("2G")).isEqualTo(2L << 30);
        assertThat(ByteSize.parse("2GB")).isEqualTo(2L << 30);
        assertThat(ByteSize.parse("2GiB")).isEqualTo(2L << 30);
        assertThat(ByteSize.parse("1T")).isEqualTo(1L << 40);
    }

    @Test
    void refusesNonsense() {
        for (String bad : new String[] {"", "G", "-1", "2X", "1.5G", "99999999999T"}) {
            assertThatThrownBy(() -> ByteSize.parse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void formatsRoundUnits() {
        assertThat(ByteSize.format(2L << 30)).isEqualTo("2G");
        assertThat(ByteSize.format(1536L << 20)).isEqualTo("1536M");
        assertThat(ByteSize.format(1000)).isEqualTo("1000");
    }
}

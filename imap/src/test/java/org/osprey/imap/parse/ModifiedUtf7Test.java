package org.osprey.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Modified UTF-7 (RFC 3501 §5.1.3). */
class ModifiedUtf7Test {

    @ParameterizedTest(name = "{0} <-> {1}")
    @CsvSource(delimiter = '|', value = {
            "~peter/mail/&U,BTFw-/&ZeVnLIqe- | ~peter/mail/台北/日本語",
            "~peter/mail/&ZeVnLIqe-/&U,BTFw- | ~peter/mail/日本語/台北",
            "&-                              | &",
            "Tom &- Jerry                    | Tom & Jerry",
            "INBOX                           | INBOX",
            "Entw&APw-rfe                    | Entwürfe",
            "&2D3eAA-                        | \uD83D\uDE00",
            "&AOQA9gD8-                      | äöü",
            "a&AOQ-b&-c                      | aäb&c",
    })
    void roundTrips(String encoded, String decoded) {
        assertThat(ModifiedUtf7.decode(encoded)).isEqualTo(decoded);
        assertThat(ModifiedUtf7.encode(decoded)).isEqualTo(encoded);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "&",            // unterminated shift
            "&U,BTFw",      // unterminated shift
            "&AGE-",        // "a" must not be encoded
            "&ACY-",        // nor "&"
            "&Jjo!-",       // not modified BASE64
            "&U/BTFw-",     // "/" is "," in modified BASE64
            "&AOQ=-",       // no padding
            "&AOR-",        // leftover bits not zero
            "&AOQAA-",      // a whole BASE64 character left over
            "&2D0-",        // lone high surrogate
            "&3gA-",        // lone low surrogate
            "caf\u00e9",    // 8-bit characters must be encoded
            "tab\there",    // and so must control characters
    })
    void rejects(String encoded) {
        assertThat(ModifiedUtf7.isValid(encoded)).isFalse();
        assertThatThrownBy(() -> ModifiedUtf7.decode(encoded)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodesControlCharactersAndRefusesUnpairedSurrogates() {
        assertThat(ModifiedUtf7.encode("a\nb")).isEqualTo("a&AAo-b");
        assertThatThrownBy(() -> ModifiedUtf7.encode("x\uD83D")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomNamesRoundTrip() {
        Random random = new Random(3501);
        int[] pool = {'a', 'Z', '&', '-', '/', '.', ' ', '~', 0xe4, 0x53f0, 0x5317, 0x1f600, 0x7f, 0x0a, 0xfeff};
        for (int round = 0; round < 20_000; round++) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                name.appendCodePoint(pool[random.nextInt(pool.length)]);
            }
            String encoded = ModifiedUtf7.encode(name.toString());
            assertThat(encoded.chars()).allMatch(c -> c >= 0x20 && c <= 0x7e);
            assertThat(ModifiedUtf7.decode(encoded)).isEqualTo(name.toString());
        }
    }
}

package org.osprey.delivery.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExtensionsTest {

    @Test
    void readsTheExtensionsWeUse() {
        Extensions e = Extensions.parse(new Reply(250, List.of("mx.example.net Hello", "PIPELINING", "SIZE 52428800",
            "STARTTLS", "AUTH PLAIN LOGIN", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "CHUNKING")));
        assertThat(e.pipelining()).isTrue();
        assertThat(e.size()).isEqualTo(52_428_800);
        assertThat(e.startTls()).isTrue();
        assertThat(e.auth()).containsExactlyInAnyOrder("PLAIN", "LOGIN");
        assertThat(e.eightBitMime()).isTrue();
        assertThat(e.smtpUtf8()).isTrue();
    }

    @Test
    void theGreetingLineIsNoExtension() {
        Extensions e = Extensions.parse(new Reply(250, List.of("PIPELINING")));
        assertThat(e.pipelining()).isFalse();
        assertThat(e).isEqualTo(Extensions.NONE);
    }

    @Test
    void keywordsAreCaseInsensitiveAndOldAuthFormIsRead() {
        Extensions e = Extensions.parse(new Reply(250, List.of("mx", "pipelining", "size", "AUTH=login plain",
            "starttls")));
        assertThat(e.pipelining()).isTrue();
        assertThat(e.size()).isZero(); // offered without a limit
        assertThat(e.auth()).containsExactlyInAnyOrder("LOGIN", "PLAIN");
        assertThat(e.startTls()).isTrue();
    }

    @Test
    void sizeNotOfferedOrGarbled() {
        assertThat(Extensions.parse(new Reply(250, List.of("mx"))).size()).isEqualTo(-1);
        assertThat(Extensions.parse(new Reply(250, List.of("mx", "SIZE lots"))).size()).isZero();
    }
}

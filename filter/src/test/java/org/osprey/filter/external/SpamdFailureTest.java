package org.osprey.filter.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.osprey.filter.Findings;
import org.osprey.filter.Verdict;

/**
 * What the real spamd does not do on demand, from a fake on loopback: sysexits error replies, garbage, a reply cut
 * short, silence past the timeout, a refused connection. Each is a {@link ScannerException} from the client and no
 * finding, no exception and a counted failure from the check.
 */
class SpamdFailureTest {
    private static final byte[] MESSAGE = Messages.plain("fake@example.org");

    private static SpamdClient client(String address, Duration timeout) {
        return new SpamdClient(address, Duration.ofSeconds(2), timeout);
    }

    private static FakeServer answering(String reply) throws IOException {
        return new FakeServer((in, out) -> {
            FakeServer.readHead(in);
            out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
        });
    }

    @Test
    void anErrorReplyNamesItsSysexitsCode() throws Exception {
        try (var fake = answering("SPAMD/1.0 76 Bad header line: (Content-Length mismatch)\r\n")) {
            assertThatThrownBy(() -> client(fake.address(), Duration.ofSeconds(5)).check(MESSAGE, Optional.empty()))
                    .isInstanceOf(ScannerException.class)
                    .hasMessage("spamd at " + fake.address()
                            + ": answered 76 EX_PROTOCOL: Bad header line: (Content-Length mismatch)");
        }
    }

    @Test
    void theRequestIsSymbolsWithContentLengthAndUser() throws Exception {
        var head = new StringBuffer();
        var body = new java.io.ByteArrayOutputStream();
        try (var fake = new FakeServer((in, out) -> {
            head.append(FakeServer.readHead(in));
            body.write(in.readAllBytes()); // ends at the client's shutdown of its half, as spamc does
            out.write("SPAMD/1.1 0 EX_OK\r\nContent-length: 5\r\nSpam: False ; 1.5 / 5.0\r\n\r\nA,B_C"
                    .getBytes(StandardCharsets.US_ASCII));
        })) {
            SpamdReport report = client(fake.address(), Duration.ofSeconds(5)).check(MESSAGE,
                    Optional.of("bob@example.com"));
            assertThat(report).isEqualTo(new SpamdReport(1.5, 5.0, false, List.of("A", "B_C")));
        }
        assertThat(head.toString()).isEqualTo("SYMBOLS SPAMC/1.5\r\nContent-length: " + MESSAGE.length
                + "\r\nUser: bob@example.com\r\n\r\n");
        assertThat(body.toByteArray()).isEqualTo(MESSAGE);
    }

    @Test
    void aUserThatIsNotAPlainTokenIsLeftOut() throws Exception {
        var head = new StringBuffer();
        try (var fake = new FakeServer((in, out) -> {
            head.append(FakeServer.readHead(in));
            out.write("SPAMD/1.1 0 EX_OK\r\nSpam: False ; 0.0 / 5.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        })) {
            client(fake.address(), Duration.ofSeconds(5)).check(MESSAGE, Optional.of("bob\r\nUser: root"));
        }
        assertThat(head.toString()).doesNotContain("User");
    }

    @Test
    void garbageAndRepliesCutShortAreFailures() throws Exception {
        for (String reply : List.of("HTTP/1.1 400 Bad Request\r\n\r\n",
                "SPAMD/1.1 0 EX_OK\r\nContent-length: 40\r\nSpam: True ; 9.0 / 5.0\r\n\r\nGTUBE",
                "SPAMD/1.1 0 EX_OK\r\nSpam: maybe\r\n\r\nGTUBE",
                "SPAMD/1.1 0 EX_OK\r\nSpam: True ; 9.0 / 5.0")) {
            try (var fake = answering(reply)) {
                assertThatThrownBy(() -> client(fake.address(), Duration.ofSeconds(5)).check(MESSAGE,
                        Optional.empty()))
                        .as(reply)
                        .isInstanceOf(ScannerException.class)
                        .hasMessageStartingWith("spamd at " + fake.address() + ": ");
            }
        }
    }

    @Test
    void aSpamdThatNeverAnswersTimesOut() throws Exception {
        try (var fake = new FakeServer((in, out) -> {
            in.readAllBytes();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client(fake.address(), Duration.ofMillis(300)).check(MESSAGE, Optional.empty()))
                    .isInstanceOf(ScannerException.class)
                    .hasMessage("spamd at " + fake.address() + ": no reply within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aRefusedConnectionFailsOpenInTheCheck() throws Exception {
        int port;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String address = "127.0.0.1:" + port;
        long before = SpamdTest.failures();
        var findings = new Findings();

        Verdict verdict = new SpamdCheck(client(address, Duration.ofSeconds(5))).data(SpamdTest.FROM_INTERNET,
                "alice@example.org", List.of("bob@example.com"), () -> new ByteArrayInputStream(MESSAGE), findings);

        assertThat(verdict).isEqualTo(Verdict.ACCEPT);
        assertThat(findings.all()).isEmpty();
        assertThat(SpamdTest.failures()).isEqualTo(before + 1);
    }

    @Test
    void badAddressesAreRefusedWhenTheClientIsMade() {
        for (String address : List.of("", "localhost", "localhost:", ":783", "localhost:0", "localhost:70000",
                "::1:783", "unix:", "unix:relative/path")) {
            assertThatThrownBy(() -> client(address, Duration.ofSeconds(1)))
                    .as(address)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(client("[::1]:783", Duration.ofSeconds(1)).address()).isEqualTo("[::1]:783");
        assertThat(client("unix:/run/spamd.sock", Duration.ofSeconds(1)).address()).isEqualTo("unix:/run/spamd.sock");
    }
}

package org.osprey.filter.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * What the real rspamd does not do on demand, from a fake HTTP server on loopback: error statuses, replies that are
 * not its JSON, silence past the timeout, a refused connection; and the exact request headers, bad values left out.
 */
class RspamdFailureTest {
    private static final byte[] MESSAGE = Messages.plain("fake@example.org");
    private static final RspamdClient.Envelope ENVELOPE = new RspamdClient.Envelope(RspamdTest.CLIENT,
            Optional.of("mail.example.org"), Optional.of("helo.example.org"), "alice@example.org",
            List.of("bob@example.com", "carol@example.com"), Optional.empty(), "mx.example.com");

    private static RspamdClient client(String url, Duration timeout) {
        return new RspamdClient(url, Duration.ofSeconds(2), timeout);
    }

    /** Reads one request: its header, then its body (chunked, as the client streams it) to the last chunk. */
    private static String readRequest(InputStream in) throws IOException {
        String head = FakeServer.readHead(in);
        var line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                if (line.toString().equals("0\r")) {
                    in.readNBytes(2); // the CRLF after the last chunk
                    break;
                }
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        return head;
    }

    private static FakeServer answering(int status, String body) throws IOException {
        return new FakeServer((in, out) -> {
            readRequest(in);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: "
                    + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
        });
    }

    private static String url(FakeServer fake) {
        return "http://127.0.0.1:" + fake.port();
    }

    @Test
    void theRequestCarriesTheSmtpFactsAsRspamdsHeaders() throws Exception {
        var request = new StringBuffer();
        try (var fake = new FakeServer((in, out) -> {
            request.append(readRequest(in));
            byte[] json = """
                    {"is_skipped":false,"score":6.5,"required_score":15.0,"action":"add header",
                     "symbols":{"A":{"name":"A","score":6.0},"B":{"name":"B","score":0.5},"C":{"name":"C"}}}"""
                    .getBytes(StandardCharsets.US_ASCII);
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + json.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(json);
        })) {
            RspamdReport report = client(url(fake) + "/", Duration.ofSeconds(5)).check(
                    () -> new ByteArrayInputStream(MESSAGE), ENVELOPE);
            assertThat(report.score()).isEqualTo(6.5);
            assertThat(report.required()).isEqualTo(15.0);
            assertThat(report.action()).isEqualTo("add header");
            assertThat(report.symbols()).containsEntry("A", 6.0).containsEntry("B", 0.5).containsEntry("C", 0.0);
            assertThat(RspamdCheck.detail(report)).isEqualTo("rspamd: add header 6.50/15.00 A,B,C");
        }
        String head = request.toString().toLowerCase(java.util.Locale.ROOT);
        assertThat(head).startsWith("post /checkv2 http/1.1\r\n");
        assertThat(head).contains("\r\nip: 192.0.2.1\r\n", "\r\nhostname: mail.example.org\r\n",
                "\r\nhelo: helo.example.org\r\n", "\r\nfrom: alice@example.org\r\n",
                "\r\nrcpt: bob@example.com\r\n", "\r\nrcpt: carol@example.com\r\n", "\r\nmta-name: mx.example.com\r\n");
        assertThat(head).doesNotContain("\r\nuser:");
    }

    @Test
    void theNullSenderAndUnsafeValuesAreLeftOut() throws Exception {
        var request = new StringBuffer();
        try (var fake = new FakeServer((in, out) -> {
            request.append(readRequest(in));
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 36\r\n\r\n{\"score\":0.0,\"action\":\"no action\"}  "
                    .getBytes(StandardCharsets.US_ASCII));
        })) {
            client(url(fake), Duration.ofSeconds(5)).check(() -> new ByteArrayInputStream(MESSAGE),
                    new RspamdClient.Envelope(RspamdTest.CLIENT, Optional.empty(), Optional.of("evil\r\nX: y"), "",
                            List.of("bob@example.com"), Optional.of("bob"), "mx.example.com"));
        }
        String head = request.toString().toLowerCase(java.util.Locale.ROOT);
        assertThat(head).doesNotContain("\r\nfrom:", "\r\nhelo:", "\r\nx: y", "\r\nhostname:");
        assertThat(head).contains("\r\nuser: bob\r\n");
    }

    @Test
    void errorStatusesAndRepliesThatAreNotRspamdsAreFailures() throws Exception {
        record Case(int status, String body, String reason) {
        }
        for (var c : List.of(
                new Case(500, "{\"error\":\"cannot parse message\"}", "answered HTTP 500: cannot parse message"),
                new Case(404, "not found", "answered HTTP 404: not found"),
                new Case(200, "<html>hello</html>", "reply is not JSON: <html>hello</html>"),
                new Case(200, "{\"action\":\"reject\"}", "reply without a score and an action"),
                new Case(200, "{\"score\":\"high\",\"action\":\"reject\"}", "reply without a score and an action"),
                new Case(200, "[1,2]", "reply is not JSON: [1,2]"))) {
            try (var fake = answering(c.status(), c.body())) {
                assertThatThrownBy(() -> client(url(fake), Duration.ofSeconds(5)).check(
                        () -> new ByteArrayInputStream(MESSAGE), ENVELOPE))
                        .isInstanceOf(ScannerException.class)
                        .hasMessage("rspamd at " + url(fake) + ": " + c.reason());
            }
        }
    }

    @Test
    void anRspamdThatNeverAnswersTimesOut() throws Exception {
        try (var fake = new FakeServer((in, out) -> {
            readRequest(in);
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client(url(fake), Duration.ofMillis(300)).check(
                    () -> new ByteArrayInputStream(MESSAGE), ENVELOPE))
                    .isInstanceOf(ScannerException.class)
                    .hasMessageStartingWith("rspamd at " + url(fake) + ": ")
                    .hasMessageContaining("300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aRefusedConnectionFailsOpenInTheCheck() throws Exception {
        int port;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        long before = RspamdTest.failures();
        var findings = new Findings();
        var noDns = new ClientName(org.osprey.filter.dns.Resolvers.server("127.0.0.1:" + port,
                Duration.ofMillis(200)), Duration.ofMillis(500));

        Verdict verdict = new RspamdCheck(client("http://127.0.0.1:" + port, Duration.ofSeconds(5)), "mx.example.com",
                noDns).data(RspamdTest.FROM_INTERNET, "alice@example.org", List.of("bob@example.com"),
                () -> new ByteArrayInputStream(MESSAGE), findings);

        assertThat(verdict).isEqualTo(Verdict.ACCEPT);
        assertThat(findings.all()).isEmpty();
        assertThat(RspamdTest.failures()).isEqualTo(before + 1);
    }

    @Test
    void badUrlsAreRefusedWhenTheClientIsMade() {
        for (String url : List.of("", "localhost:11333", "ftp://127.0.0.1/", "http://", "http:///checkv2",
                "http://127.0.0.1:11333/?x=1", "http://u:p@127.0.0.1:11333", "http://[::1")) {
            assertThatThrownBy(() -> client(url, Duration.ofSeconds(1))).as(url)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(RspamdClient.endpoint("http://127.0.0.1:11333")).hasToString("http://127.0.0.1:11333/checkv2");
        assertThat(RspamdClient.endpoint("HTTPS://rspamd.example.com/scan//"))
                .hasToString("https://rspamd.example.com/scan/checkv2");
        assertThat(RspamdClient.endpoint("http://[::1]:11333/")).hasToString("http://[::1]:11333/checkv2");
    }
}

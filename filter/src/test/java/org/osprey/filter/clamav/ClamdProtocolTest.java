package org.osprey.filter.clamav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.osprey.core.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Reply parsing, addresses and policy without clamd, plus misbehaving peers played by a loopback socket. */
class ClamdProtocolTest {

    @Test
    void parsesScanReplies() {
        assertThat(ClamdClient.parseScanReply("stream: OK")).isEqualTo(ScanResult.CLEAN);
        assertThat(ClamdClient.parseScanReply("stream: Eicar-Signature FOUND"))
                .isEqualTo(new ScanResult.Infected("Eicar-Signature"));
        assertThat(ClamdClient.parseScanReply("stream: Win.Test.EICAR_HDB-1 FOUND"))
                .isEqualTo(new ScanResult.Infected("Win.Test.EICAR_HDB-1"));
        assertThat(ClamdClient.parseScanReply("stream: Heuristics.Phishing.Email.SpoofedDomain FOUND"))
                .isEqualTo(new ScanResult.Infected("Heuristics.Phishing.Email.SpoofedDomain"));
        assertThat(ClamdClient.parseScanReply("stream: A name with spaces FOUND"))
                .isEqualTo(new ScanResult.Infected("A name with spaces"));
        assertThat(ClamdClient.parseScanReply("INSTREAM size limit exceeded. ERROR"))
                .isEqualTo(new ScanResult.Failed("message exceeds clamd's StreamMaxLength"));
        assertThat(ClamdClient.parseScanReply("Can't allocate memory ERROR"))
                .isEqualTo(new ScanResult.Failed("clamd error: Can't allocate memory"));
        assertThat(ClamdClient.parseScanReply("UNKNOWN COMMAND"))
                .isEqualTo(new ScanResult.Failed("unexpected clamd reply: UNKNOWN COMMAND"));
        assertThat(ClamdClient.parseScanReply("stream:  FOUND")).isInstanceOf(ScanResult.Failed.class);
    }

    @Test
    void acceptsUnixAndTcpAddressesAndRefusesOthers() {
        var timeout = Duration.ofSeconds(1);
        assertThat(new ClamdClient("unix:/run/clamav/clamd.ctl", timeout, timeout).address())
                .isEqualTo("unix:/run/clamav/clamd.ctl");
        new ClamdClient("127.0.0.1:3310", timeout, timeout);
        new ClamdClient("[::1]:3310", timeout, timeout);
        new ClamdClient("clamav.internal:3310", timeout, timeout);
        for (var bad : new String[] {"unix:", "localhost", "localhost:", ":3310", "host:0", "host:70000",
                "host:x", "::1:3310"}) {
            assertThatThrownBy(() -> new ClamdClient(bad, timeout, timeout))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void policyDecisions() {
        var tempfail = ClamavCheck.OnFailure.TEMPFAIL;
        var accept = ClamavCheck.OnFailure.ACCEPT;
        assertThat(ClamavCheck.decide(ScanResult.CLEAN, tempfail)).isEqualTo(new ClamavCheck.Decision.Accept());
        assertThat(ClamavCheck.decide(new ScanResult.Infected("Eicar-Signature"), accept))
                .isEqualTo(new ClamavCheck.Decision.Reject(554, "5.7.1", "Virus found: Eicar-Signature"));
        assertThat(ClamavCheck.decide(new ScanResult.Failed("x"), tempfail))
                .isEqualTo(new ClamavCheck.Decision.TempFail(451, "4.7.1",
                        "Virus scanner unavailable, try again later"));
        assertThat(ClamavCheck.decide(new ScanResult.Failed("clamd error: (oops)\r\nX-Evil: 1"), accept))
                .isEqualTo(new ClamavCheck.Decision.AcceptWithHeader(
                        "X-Virus-Scan: failed (clamd error: [oops]??X-Evil: 1)"));
    }

    @Test
    void parsesOnFailureConfigValue() throws ConfigException {
        assertThat(ClamavCheck.OnFailure.parse("tempfail")).isEqualTo(ClamavCheck.OnFailure.TEMPFAIL);
        assertThat(ClamavCheck.OnFailure.parse("accept")).isEqualTo(ClamavCheck.OnFailure.ACCEPT);
        assertThatThrownBy(() -> ClamavCheck.OnFailure.parse("reject"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("filter.clamav.on_failure");
    }

    @Test
    void silentPeerTimesOut() throws Exception {
        withPeer(socket -> {
            try {
                socket.getInputStream().readAllBytes(); // takes everything, answers nothing
            } catch (IOException ignored) {
                // the client gave up
            }
        }, port -> {
            var client = new ClamdClient("127.0.0.1:" + port, Duration.ofSeconds(1), Duration.ofMillis(300));
            long start = System.nanoTime();
            var result = client.scan(new ByteArrayInputStream(Messages.plain("hi")));
            assertThat(result).isInstanceOf(ScanResult.Failed.class);
            assertThat(((ScanResult.Failed) result).reason()).contains("no reply within");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        });
    }

    @Test
    void peerSendsTheInstreamFramingAndGetsOurAnswerParsed() throws Exception {
        var seen = new StringBuilder();
        withPeer(socket -> {
            try {
                var in = new DataInputStream(socket.getInputStream());
                var command = new byte[10];
                in.readFully(command);
                seen.append(new String(command, StandardCharsets.US_ASCII));
                long total = 0;
                int chunks = 0;
                for (int length = in.readInt(); length != 0; length = in.readInt()) {
                    assertThat(length).isBetween(1, ClamdClient.CHUNK_SIZE);
                    in.skipNBytes(length);
                    total += length;
                    chunks++;
                }
                seen.append('|').append(total).append('|').append(chunks);
                socket.getOutputStream().write("stream: Some.Thing FOUND\0".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, port -> {
            var client = new ClamdClient("127.0.0.1:" + port, Duration.ofSeconds(1), Duration.ofSeconds(5));
            var result = client.scan(new ByteArrayInputStream(new byte[3 * ClamdClient.CHUNK_SIZE + 5]));
            assertThat(result).isEqualTo(new ScanResult.Infected("Some.Thing"));
        });
        assertThat(seen.toString()).isEqualTo("zINSTREAM\0|" + (3 * ClamdClient.CHUNK_SIZE + 5) + "|4");
    }

    @Test
    void peerClosingWithoutReplyIsAFailure() throws Exception {
        withPeer(socket -> {
        }, port -> {
            var result = new ClamdClient("127.0.0.1:" + port, Duration.ofSeconds(1), Duration.ofSeconds(5))
                    .scan(new ByteArrayInputStream(Messages.plain("hi")));
            assertThat(result).isInstanceOf(ScanResult.Failed.class);
        });
    }

    private interface PortTest {
        void run(int port) throws Exception;
    }

    /** Runs {@code peer} on the first connection to a loopback listener while {@code test} talks to it. */
    private static void withPeer(Consumer<java.net.Socket> peer, PortTest test) throws Exception {
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var thread = Thread.ofVirtual().start(() -> {
                try (var socket = server.accept()) {
                    peer.accept(socket);
                } catch (IOException ignored) {
                    // closed by the test
                }
            });
            test.run(server.getLocalPort());
            thread.join(Duration.ofSeconds(5));
        }
    }
}

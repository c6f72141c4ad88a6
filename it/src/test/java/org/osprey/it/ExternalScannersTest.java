package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optional external spam scanners as the server wires them: a bad [filter.rspamd] url stops start-up with the
 * key's name, and scanners that are configured but down never hold mail up (fail open).
 */
class ExternalScannersTest {
    @TempDir
    Path dir;

    @Test
    void aBadUrlStopsStartUpNamingTheKey() throws Exception {
        // One start for both kinds of value (a start costs seconds): the spamd address is good, the rspamd url not.
        try (ServerProcess server = new ServerProcess(dir, """
                [filter.spamd]
                address = "unix:/run/spamd.sock"
                [filter.rspamd]
                url = "localhost:11333"
                """)) {
            assertThatThrownBy(server::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("server exited")
                    .hasMessageContaining("config: [filter.rspamd] url: \"localhost:11333\" is not an http:// or "
                            + "https:// URL");
        }
    }

    @Test
    void scannersThatAreDownDoNotHoldMailUp() throws Exception {
        int closed = ServerProcess.freePort();
        int smtp = ServerProcess.freePort();
        String config = TestConfigs.smtpOnly("127.0.0.1:" + smtp, """
                [filter.spamd]
                address = "127.0.0.1:%d"
                [filter.rspamd]
                url = "http://127.0.0.1:%d"
                """.formatted(closed, closed));
        try (ServerProcess server = new ServerProcess(dir, smtp, config)) {
            Cli cli = new Cli(server.config);
            cli.addJohn();
            server.start();
            try (var client = new SimpleSmtpClient("127.0.0.1", smtp)) {
                assertThat(client.send("someone@example.net", "john@example.org",
                        "Subject: hello\r\n\r\nthe scanners are down\r\n")).startsWith("250");
            }
            Path inbox = dir.resolve("data/vmail/example.org/john/Maildir/new");
            await().atMost(Duration.ofSeconds(15)).until(() -> Files.isDirectory(inbox) && count(inbox) == 1);
            assertThat(Files.readString(server.log)).contains("spamd scan failed", "rspamd scan failed");
        }
    }

    @Test
    void aScannerThatNeverAnswersIsLeftBehindWhenTheTimeBudgetIsSpent() throws Exception {
        int smtp = ServerProcess.freePort();
        // accepts connections (the kernel's backlog) and never reads or answers: spamd's own timeout is 30 s
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String config = TestConfigs.smtpOnly("127.0.0.1:" + smtp, """
                    [filter]
                    time_budget = "2s"
                    [filter.spamd]
                    address = "127.0.0.1:%d"
                    """.formatted(silent.getLocalPort()));
            try (ServerProcess server = new ServerProcess(dir, smtp, config)) {
                Cli cli = new Cli(server.config);
                cli.addJohn();
                server.start();
                try (var client = new SimpleSmtpClient("127.0.0.1", smtp)) {
                    long start = System.nanoTime();
                    assertThat(client.send("someone@example.net", "john@example.org",
                            "Subject: hello\r\n\r\nspamd is silent\r\n")).startsWith("250");
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
                }
                Path inbox = dir.resolve("data/vmail/example.org/john/Maildir/new");
                await().atMost(Duration.ofSeconds(15)).until(() -> Files.isDirectory(inbox) && count(inbox) == 1);
            }
        }
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}

package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.delivery.remote.TestSmtpServer;

/**
 * The queue CLI against the running server (as mailq, postqueue -f and postsuper -h/-H): a deferred message is
 * listed with its error, {@code queue flush} has it tried at once instead of in five minutes, and a held message
 * waits until {@code queue release}.
 */
class QueueControlTest {
    private static final Pattern QUEUED_AS = Pattern.compile("queued as ([0-9A-Z]+)");

    @TempDir
    Path dir;

    @Test
    void flushHoldAndReleaseReachTheRunningServer() throws Exception {
        try (TestSmtpServer peer = TestSmtpServer.start()) {
            peer.rcptReply = to -> "451 4.3.0 not now";
            int smtp = ServerProcess.freePort();
            String config = TestConfigs.smtpOnly("127.0.0.1:" + smtp, """
                    [delivery]
                    first_retry_seconds = 300
                    [delivery.routes]
                    "remote.example" = "127.0.0.1:%d"
                    """.formatted(peer.port()));
            try (ServerProcess server = new ServerProcess(dir, smtp, config)) {
                Cli cli = new Cli(server.config);
                assertThat(cli.run("domain", "add", "example.org").status()).isZero();
                assertThat(cli.run("alias", "add", "ext@example.org", "anne@remote.example").status()).isZero();
                Cli.Result notRunning = cli.run("queue", "flush");
                assertThat(notRunning.out()).contains("the server is not running");
                server.start();

                String first;
                try (var client = new SimpleSmtpClient("127.0.0.1", smtp)) {
                    first = queueId(client.send("someone@example.net", "ext@example.org",
                            "Subject: first\r\n\r\nflush me\r\n"));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> cli.run("queue", "list").out()
                        .contains("deferred, 1 attempt(s)"));
                assertThat(cli.run("queue", "list").out()).contains(first, "anne@remote.example", "not now");

                peer.rcptReply = to -> "250 2.1.5 Ok";
                Cli.Result flush = cli.run("queue", "flush");
                assertThat(flush.status()).as(flush.err()).isZero();
                assertThat(flush.out()).contains("flushing the queue");
                await().atMost(Duration.ofSeconds(10)).until(() -> peer.messages.size() == 1);

                String second;
                try (var client = new SimpleSmtpClient("127.0.0.1", smtp)) {
                    peer.rcptReply = to -> "451 4.3.0 not now";
                    second = queueId(client.send("someone@example.net", "ext@example.org",
                            "Subject: second\r\n\r\nhold me\r\n"));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> cli.run("queue", "list").out()
                        .contains("deferred"));
                peer.rcptReply = to -> "250 2.1.5 Ok";
                assertThat(cli.run("queue", "hold", second).out()).contains("held " + second);
                assertThat(cli.run("queue", "list").out()).contains("held, deferred");
                assertThat(cli.run("queue", "flush", second).status()).isZero();
                Thread.sleep(1000);
                assertThat(peer.messages).as("a held message is not tried").hasSize(1);

                assertThat(cli.run("queue", "release", second).out()).contains("released " + second);
                await().atMost(Duration.ofSeconds(10)).until(() -> peer.messages.size() == 2);
                await().atMost(Duration.ofSeconds(5)).until(() -> !cli.run("queue", "list").out().contains(second));
                Cli.Result gone = cli.run("queue", "release", second);
                assertThat(gone.status()).isEqualTo(1);
                assertThat(gone.err()).contains("no such message");
            }
        }
    }

    private static String queueId(String reply) {
        Matcher m = QUEUED_AS.matcher(reply);
        assertThat(m.find()).as(reply).isTrue();
        return m.group(1);
    }
}

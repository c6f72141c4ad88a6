package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "250 OK" means the message is safe: kill -9 the server while 20 sessions send, restart it, and every message
 * that got its 250 must end up in the Maildir (a duplicate of a message in flight is allowed, a loss is not).
 */
class CrashRecoveryTest {
    private static final Pattern SUBJECT = Pattern.compile("^Subject: crash-(\\d+)$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void everyMessageThatGot250SurvivesKillDashNine() throws Exception {
        try (var server = new ServerProcess(dir, "")) {
            Cli cli = new Cli(server.config);
            assertThat(cli.run("domain", "add", "example.org").status()).isZero();
            assertThat(cli.runWithInput("pw\n", "user", "add", "john@example.org", "--password-stdin").status())
                    .isZero();
            server.start("-Xmx128m");

            Set<Integer> accepted = ConcurrentHashMap.newKeySet();
            AtomicInteger next = new AtomicInteger();
            List<Thread> senders = Stream.generate(() -> Thread.ofVirtual().start(() -> {
                try (var client = new SimpleSmtpClient("127.0.0.1", server.smtpPort)) {
                    while (true) {
                        int n = next.incrementAndGet();
                        String reply = client.send("load@example.net", "john@example.org",
                                "Subject: crash-" + n + "\r\n\r\n" + "x".repeat(2000) + "\r\n");
                        if (reply.startsWith("250")) {
                            accepted.add(n);
                        }
                    }
                } catch (IOException expectedWhenKilled) {
                    // the server died under us
                }
            })).limit(20).toList();

            await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 300);
            server.kill9();
            for (Thread t : senders) {
                t.join(30_000);
            }
            int acknowledged = accepted.size();
            assertThat(acknowledged).isGreaterThanOrEqualTo(300);

            server.start("-Xmx128m");
            Path inbox = dir.resolve("data/vmail/example.org/john/Maildir/new");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> delivered(inbox).containsAll(accepted));
            assertThat(Files.readString(server.log)).contains("spool recovered");
        }
    }

    private static Set<Integer> delivered(Path inbox) throws IOException {
        Set<Integer> seen = new HashSet<>();
        if (!Files.isDirectory(inbox)) {
            return seen;
        }
        try (var files = Files.list(inbox)) {
            for (Path f : files.toList()) {
                Matcher m = SUBJECT.matcher(Files.readString(f));
                if (m.find()) {
                    seen.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        return seen;
    }
}

package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Greylisting on the MX port, end to end with the built server and its SQLite database: the first try of a
 * triplet gets 451 4.7.1, a retry before the delay too, the retry after the delay is accepted; the state is in the
 * database, so a restarted server remembers it.
 */
class GreylistTest {
    @TempDir
    Path dir;

    @Test
    void aGreylistedSenderIsAcceptedOnItsRetryAfterTheDelayAndARestartRemembersIt() throws Exception {
        int smtp = ServerProcess.freePort();
        String config = TestConfigs.smtpOnly("127.0.0.1:" + smtp, """
                [filter.greylist]
                delay = "2s"
                whitelist = []
                """);
        try (ServerProcess server = new ServerProcess(dir, smtp, config)) {
            Cli cli = new Cli(server.config);
            cli.addJohn();
            server.start();
            try (var client = new SimpleSmtpClient("127.0.0.1", smtp)) {
                client.command("MAIL FROM:<alice@origin.example>", "250");
                String first = client.command("RCPT TO:<john@example.org>", "451");
                assertThat(first).startsWith("451 4.7.1").contains("Greylisted");
                client.command("RCPT TO:<john@example.org>", "451");
            }
            Thread.sleep(2500);
            try (var client = new SimpleSmtpClient("127.0.0.1", smtp)) {
                assertThat(client.send("alice@origin.example", "john@example.org", "Subject: again\r\n\r\nhi\r\n"))
                        .startsWith("250");
            }
        }
        // a new process on the same database: the client network passed, so another sender from it gets in at once
        try (ServerProcess server = new ServerProcess(dir, smtp, config)) {
            server.start();
            try (var client = new SimpleSmtpClient("127.0.0.1", smtp)) {
                assertThat(client.send("bob@origin.example", "john@example.org", "Subject: new\r\n\r\nhi\r\n"))
                        .startsWith("250");
            }
        }
    }
}

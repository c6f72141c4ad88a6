package org.osprey.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The temporary failures: a directory that cannot be asked gives 451 (never a 5xx that would bounce the mail), and
 * a server that stops says 421 to the sessions still open. Each test breaks its own stack.
 */
class OutageAndShutdownTest {
    private SmtpStack stack;

    @BeforeEach
    void start() throws Exception {
        stack = SmtpStack.start();
    }

    @AfterEach
    void stop() throws Exception {
        stack.close();
    }

    @Test
    void aDirectoryOutageIsATemporaryFailureAtRcpt() throws Exception {
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<s@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            stack.database.close();
            assertThat(client.command("RCPT TO:<jane@example.org>", 451).last())
                    .startsWith("451 4.3.0 <jane@example.org>: Temporary lookup failure");
            assertThat(client.command("RCPT TO:<someone@example.net>", 451).last()).startsWith("451 4.3.0");
        }
    }

    @Test
    void aStoppingServerSays421ToOpenSessions() throws Exception {
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<s@example.net>", 250);
            stack.server.stop(Duration.ofMillis(200));
            assertThat(client.expect(421).last()).startsWith("421 4.3.2 mx.example.org");
            assertThat(client.closedByServer()).isTrue();
        }
    }
}

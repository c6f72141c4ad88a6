package org.osprey.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Command line length, the error limit, and clients that go away in the middle of a message. */
@ExtendWith(SharedSmtpStack.class)
class SessionLimitsTest {
    private final SmtpStack stack;

    SessionLimitsTest(SmtpStack stack) {
        this.stack = stack;
    }

    private static String overlong() {
        return "NOOP " + "x".repeat(SmtpProtocol.MAX_LINE + 100) + "\r\n";
    }

    @Test
    void aCommandLineOverTheLimitIsAnsweredAndTheSessionGoesOn() throws Exception {
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.write(overlong());
            assertThat(client.expect(500).last()).isEqualTo("500 5.5.0 Error: line too long");
            client.command("NOOP", 250);
        }
    }

    @Test
    void overlongLinesCountTowardsTheErrorLimit() throws Exception {
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.write(overlong().repeat(SmtpStack.MAX_ERRORS - 1) + "BOGUS\r\n");
            for (int i = 0; i < SmtpStack.MAX_ERRORS - 1; i++) {
                client.expect(500);
            }
            client.expect(500);
            assertThat(client.expect(421).last()).startsWith("421 4.7.0");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aClientSendingOnlyOverlongLinesIsDisconnectedAtTheErrorLimit() throws Exception {
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.write(overlong().repeat(SmtpStack.MAX_ERRORS + 5));
            for (int i = 0; i < SmtpStack.MAX_ERRORS; i++) {
                client.expect(500);
            }
            assertThat(client.expect(421).last()).startsWith("421 4.7.0");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    private void awaitNoPartialSpoolFile() {
        Path incoming = stack.dir.resolve("spool/incoming");
        await("spool/incoming empty").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    try (Stream<Path> files = Files.list(incoming)) {
                        return files.noneMatch(f -> !f.getFileName().toString().endsWith(".state"));
                    }
                });
    }

    @Test
    void aClientThatGoesAwayInsideDataLeavesNoPartialSpoolFile() throws Exception {
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<s@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.command("DATA", 354);
            client.write("Subject: half\r\n\r\n" + "z".repeat(100_000));
        }
        awaitNoPartialSpoolFile();
    }

    @Test
    void aClientThatGoesAwayInsideBdatLeavesNoPartialSpoolFile() throws Exception {
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<s@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.write("BDAT 10\r\n0123456789");
            client.expect(250);
            client.write("BDAT 100000 LAST\r\nonly the start");
        }
        awaitNoPartialSpoolFile();
    }
}

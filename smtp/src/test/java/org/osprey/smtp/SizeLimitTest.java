package org.osprey.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * max_message_size (1 MiB here) enforced while streaming, when the client declared no SIZE: the data is read to its
 * end, refused with 552 5.3.4, nothing is queued, and the session goes on (RFC 1870 §6.3, RFC 3030 §2).
 */
@ExtendWith(SharedSmtpStack.class)
class SizeLimitTest {
    private final SmtpStack stack;

    SizeLimitTest(SmtpStack stack) {
        this.stack = stack;
    }

    /** A message of exactly {@code size} bytes (CRLF lines of up to 1000 octets), its subject the marker. */
    private static String messageOfSize(String marker, long size) {
        String head = "Subject: " + marker + "\r\n\r\n";
        StringBuilder sb = new StringBuilder(head);
        long remaining = size - head.length();
        while (remaining > 1000) {
            int line = remaining - 1000 == 1 ? 999 : 1000; // never leave a single octet for the last line
            sb.append("y".repeat(line - 2)).append("\r\n");
            remaining -= line;
        }
        sb.append("x".repeat((int) remaining - 2)).append("\r\n");
        assertThat((long) sb.length()).isEqualTo(size);
        return sb.toString();
    }

    private void assertNothingLeftInIncoming() {
        Path incoming = stack.dir.resolve("spool/incoming");
        await("spool/incoming empty").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    try (Stream<Path> files = Files.list(incoming)) {
                        return files.noneMatch(f -> !f.getFileName().toString().endsWith(".state"));
                    }
                });
    }

    private void sendCanary(SmtpClient client) throws IOException {
        String canary = "after-552-" + UUID.randomUUID();
        SmtpClient.Reply reply = client.sendMessage("s@example.net", List.of("john@example.org"),
                "Subject: " + canary + "\r\n\r\nstill here\r\n");
        assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        stack.awaitMessage("john", canary);
    }

    @Test
    void dataOverTheLimitIsRefusedAfterTheDotAndTheSessionGoesOn() throws Exception {
        String marker = "too-big-data-" + UUID.randomUUID();
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<s@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.command("DATA", 354);
            client.write(messageOfSize(marker, SmtpStack.MAX_MESSAGE_SIZE + 1) + ".\r\n");
            assertThat(client.expect(552).last()).startsWith("552 5.3.4");
            assertNothingLeftInIncoming();
            sendCanary(client);
        }
        assertThat(stack.messagesWith("john", marker)).isEmpty();
    }

    @Test
    void dataOfExactlyTheLimitIsAccepted() throws Exception {
        String marker = "just-fits-" + UUID.randomUUID();
        String message = messageOfSize(marker, SmtpStack.MAX_MESSAGE_SIZE);
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<s@example.net> SIZE=" + SmtpStack.MAX_MESSAGE_SIZE, 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.command("DATA", 354);
            client.write(message + ".\r\n");
            client.expect(250);
        }
        String delivered = Files.readString(stack.awaitMessage("john", marker), StandardCharsets.US_ASCII);
        assertThat(delivered.substring(delivered.indexOf("Subject: " + marker)))
                .isEqualTo(message.replace("\r\n", "\n"));
    }

    @Test
    void aChunkOverTheLimitIsRefusedAndLaterChunksAreSkipped() throws Exception {
        String marker = "too-big-bdat-" + UUID.randomUUID();
        String message = messageOfSize(marker, SmtpStack.MAX_MESSAGE_SIZE + 10_000);
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        int half = bytes.length / 2;
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<s@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.write("BDAT " + half + "\r\n" + message.substring(0, half));
            client.expect(250);
            client.write("BDAT " + (bytes.length - half - 6) + "\r\n" + message.substring(half, bytes.length - 6));
            assertThat(client.expect(552).last()).startsWith("552 5.3.4");
            // RFC 3030 §2: chunks already in the pipeline after a failed one are read and discarded
            client.write("BDAT 6 LAST\r\n" + message.substring(bytes.length - 6) + "NOOP\r\n");
            assertThat(client.expect(552).last()).startsWith("552 5.3.4");
            client.expect(250);
            assertNothingLeftInIncoming();
            sendCanary(client);
        }
        assertThat(stack.messagesWith("john", marker)).isEmpty();
    }

    @Test
    void aLastChunkOverTheLimitIsRefusedAndTheSessionGoesOn() throws Exception {
        String marker = "too-big-last-" + UUID.randomUUID();
        String message = messageOfSize(marker, SmtpStack.MAX_MESSAGE_SIZE + 1);
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<s@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.write("BDAT " + message.length() + " LAST\r\n" + message);
            assertThat(client.expect(552).last()).startsWith("552 5.3.4");
            assertNothingLeftInIncoming();
            sendCanary(client);
        }
        assertThat(stack.messagesWith("john", marker)).isEmpty();
    }

    @Test
    void aDeclaredSizeOverTheLimitIsRefusedAtMail() throws Exception {
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            SmtpClient.Reply reply = client.command("MAIL FROM:<s@example.net> SIZE=" + 50_000_000, 552);
            assertThat(reply.last()).startsWith("552 5.3.4");
            client.command("MAIL FROM:<s@example.net> SIZE=" + 1000, 250);
        }
    }
}

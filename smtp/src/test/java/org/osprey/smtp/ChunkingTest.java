package org.osprey.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** BDAT (RFC 3030 CHUNKING): counted chunks, split anywhere, pipelined, and refused chunks still consumed. */
@ExtendWith(SharedSmtpStack.class)
class ChunkingTest {
    private final SmtpStack stack;

    ChunkingTest(SmtpStack stack) {
        this.stack = stack;
    }

    private static String bodyOf(String delivered) {
        return delivered.substring(delivered.indexOf("Subject: "));
    }

    @Test
    void oneChunkWithLastIsAWholeMessage() throws Exception {
        String marker = "bdat-one-" + UUID.randomUUID();
        String message = "Subject: " + marker + "\r\n\r\none chunk\r\n";
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<c@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.write("BDAT " + message.length() + " LAST\r\n" + message);
            assertThat(client.expect(250).last()).matches("250 2\\.0\\.0 Ok: queued as [0-9A-Z]+");
        }
        assertThat(bodyOf(Files.readString(stack.awaitMessage("john", marker))))
                .isEqualTo(message.replace("\r\n", "\n"));
    }

    @Test
    void chunksSplitAnywhereAreJoinedInOrder() throws Exception {
        String marker = "bdat-many-" + UUID.randomUUID();
        String message = "Subject: " + marker + "\r\n\r\nfirst line\r\nsecond line\r\n" + "z".repeat(20_000)
                + "\r\nend\r\n";
        // split inside the header name, between CR and LF, and in the long line
        int[] cuts = {3, message.indexOf("\r\n\r\n") + 1, message.indexOf("second") + 2, 12_000, message.length()};
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<c@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            int from = 0;
            for (int cut : cuts) {
                String chunk = message.substring(from, cut);
                client.write("BDAT " + chunk.length() + "\r\n" + chunk);
                assertThat(client.expect(250).last()).isEqualTo("250 2.0.0 Ok: " + chunk.length()
                        + " octets received");
                from = cut;
            }
            client.send("BDAT 0 LAST");
            assertThat(client.expect(250).last()).contains("queued as");
        }
        assertThat(bodyOf(Files.readString(stack.awaitMessage("john", marker))))
                .isEqualTo(message.replace("\r\n", "\n"));
    }

    @Test
    void pipelinedChunksAreAnsweredInOrder() throws Exception {
        String marker = "bdat-pipe-" + UUID.randomUUID();
        String part1 = "Subject: " + marker + "\r\n\r\n";
        String part2 = "pipelined body\r\n";
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.write("MAIL FROM:<c@example.net>\r\nRCPT TO:<jane@example.org>\r\n"
                    + "BDAT " + part1.length() + "\r\n" + part1
                    + "BDAT " + part2.length() + " LAST\r\n" + part2
                    + "QUIT\r\n");
            client.expect(250);
            client.expect(250);
            client.expect(250);
            assertThat(client.expect(250).last()).contains("queued as");
            client.expect(221);
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(bodyOf(Files.readString(stack.awaitMessage("jane", marker))))
                .isEqualTo((part1 + part2).replace("\r\n", "\n"));
    }

    @Test
    void bdatZeroLastAloneIsAnEmptyMessage() throws Exception {
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<empty@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.send("BDAT 0 LAST");
            String id = SmtpStack.queueId(client.expect(250).last());
            // nothing but our Received header: delivered as such
            String delivered = Files.readString(stack.awaitMessage("john", " id " + id));
            assertThat(delivered).startsWith("Return-Path: <empty@example.net>\nDelivered-To: john@example.org\n"
                    + "Received: from client.example.net");
        }
    }

    @Test
    void dataAfterARefusedChunkIsABadSequence() throws Exception {
        // RFC 3030 §3: DATA after BDAT in the same transaction MUST get 503, also when a chunk was refused
        String marker = "bdat-then-data-" + UUID.randomUUID();
        String big = "x".repeat((int) SmtpStack.MAX_MESSAGE_SIZE + 10);
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<c@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.write("BDAT " + big.length() + "\r\n" + big);
            assertThat(client.expect(552).last()).startsWith("552 5.3.4");
            client.command("DATA", 503);
            client.command("MAIL FROM:<c@example.net>", 503);
            client.command("RCPT TO:<jane@example.org>", 503);
            client.command("RSET", 250);
            client.sendMessage("c@example.net", java.util.List.of("john@example.org"),
                    "Subject: " + marker + "\r\n\r\nafter RSET\r\n");
        }
        stack.awaitMessage("john", marker);
    }

    @Test
    void aChunkWithoutMailIsReadAsDataAndNeverExecuted() throws Exception {
        String marker = "bdat-nomail-" + UUID.randomUUID();
        String chunk = "QUIT\r\nMAIL FROM:<evil@example.net>\r\nRCPT TO:<john@example.org>\r\nDATA\r\n"
                + "Subject: " + marker + "\r\n\r\nevil\r\n.\r\n";
        byte[] bytes = chunk.getBytes(StandardCharsets.US_ASCII);
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.write("BDAT " + bytes.length + " LAST\r\n" + chunk);
            assertThat(client.expect(503).last()).startsWith("503 5.5.1");
            // the session is still there: QUIT inside the chunk did nothing
            client.command("NOOP", 250);
            // and a chunk refused for want of recipients is skipped the same way
            client.command("MAIL FROM:<c@example.net>", 250);
            client.write("BDAT " + bytes.length + " LAST\r\n" + chunk);
            assertThat(client.expect(554).last()).startsWith("554 5.5.1");
            client.command("NOOP", 250);
            // the refused LAST chunk ended the transaction
            client.command("MAIL FROM:<c@example.net>", 250);
            client.command("QUIT", 221);
        }
        // nothing of it was delivered: a canary sent afterwards arrives alone
        String canary = "canary-" + UUID.randomUUID();
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.sendMessage("c@example.net", java.util.List.of("john@example.org"),
                    "Subject: " + canary + "\r\n\r\nok\r\n");
        }
        stack.awaitMessage("john", canary);
        assertThat(stack.messagesWith("john", marker)).isEmpty();
    }
}

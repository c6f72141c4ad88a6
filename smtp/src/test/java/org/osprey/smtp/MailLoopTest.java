package org.osprey.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Loop detection (RFC 5321 §6.3): with max_received_headers 50, a message that arrives with 50 Received headers has
 * 51 with ours and is refused with 554 5.4.6; with 49 it has exactly 50 and is delivered.
 */
@ExtendWith(SharedSmtpStack.class)
class MailLoopTest {
    private final SmtpStack stack;

    MailLoopTest(SmtpStack stack) {
        this.stack = stack;
    }

    private static String withReceivedHeaders(int count, String marker) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(i % 2 == 0 ? "Received: " : "RECEIVED: ").append("from hop").append(i)
                    .append(".example.net (hop").append(i).append(".example.net [192.0.2.").append(i % 250)
                    .append("])\r\n\tby hop").append(i + 1).append(".example.net; Mon, 1 Jan 2024 00:00:00 +0000\r\n");
        }
        return sb + "Subject: " + marker + "\r\n\r\nloop?\r\n";
    }

    @Test
    void fiftyReceivedHeadersPlusOursIsALoop() throws Exception {
        String marker = "loop-50-" + UUID.randomUUID();
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            SmtpClient.Reply reply = client.sendMessage("s@example.net", List.of("john@example.org"),
                    withReceivedHeaders(50, marker));
            assertThat(reply.last()).startsWith("554 5.4.6");
            // the session goes on
            client.command("NOOP", 250);
        }
        String canary = "loop-canary-" + UUID.randomUUID();
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.sendMessage("s@example.net", List.of("john@example.org"), "Subject: " + canary + "\r\n\r\nx\r\n");
        }
        stack.awaitMessage("john", canary);
        assertThat(stack.messagesWith("john", marker)).isEmpty();
    }

    @Test
    void fortyNineReceivedHeadersAreDelivered() throws Exception {
        String marker = "loop-49-" + UUID.randomUUID();
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            SmtpClient.Reply reply = client.sendMessage("s@example.net", List.of("john@example.org"),
                    withReceivedHeaders(49, marker));
            assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        }
        String delivered = Files.readString(stack.awaitMessage("john", marker), StandardCharsets.US_ASCII);
        assertThat(delivered.lines().filter(l -> l.regionMatches(true, 0, "Received:", 0, 9))).hasSize(50);
    }

    @Test
    void receivedLinesInTheBodyAreNotCounted() throws Exception {
        String marker = "loop-body-" + UUID.randomUUID();
        String message = "Subject: " + marker + "\r\n\r\n" + "Received: from a quoted bounce\r\n".repeat(80);
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            SmtpClient.Reply reply = client.sendMessage("s@example.net", List.of("john@example.org"), message);
            assertThat(reply.code()).as(reply.text()).isEqualTo(250);
        }
        stack.awaitMessage("john", marker);
    }

    @Test
    void aLoopIsDetectedInChunkedMessagesToo() throws Exception {
        byte[] message = withReceivedHeaders(50, "loop-bdat-" + UUID.randomUUID()).getBytes(StandardCharsets.US_ASCII);
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<s@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.write("BDAT " + message.length + " LAST\r\n");
            client.write(message);
            assertThat(client.expect(554).last()).startsWith("554 5.4.6");
        }
    }
}

package org.osprey.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** RFC 2920 PIPELINING: batches of commands in one write, replies in order, nothing read ahead is lost. */
@ExtendWith(SharedSmtpStack.class)
class PipeliningTest {
    private final SmtpStack stack;

    PipeliningTest(SmtpStack stack) {
        this.stack = stack;
    }

    @Test
    void aWholeTransactionInOneWriteIsAnsweredInOrderAndQuitAfterTheDotIsAnswered() throws Exception {
        String marker = "pipe-" + UUID.randomUUID();
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.write("MAIL FROM:<p@example.net>\r\nRCPT TO:<john@example.org>\r\nRCPT TO:<jane@example.org>\r\n"
                    + "DATA\r\n");
            assertThat(client.expect(250).last()).startsWith("250 2.1.0");
            assertThat(client.expect(250).last()).startsWith("250 2.1.5");
            assertThat(client.expect(250).last()).startsWith("250 2.1.5");
            client.expect(354);
            client.write("Subject: " + marker + "\r\n\r\nbody\r\n.\r\nQUIT\r\n");
            assertThat(client.expect(250).last()).contains("queued as");
            client.expect(221);
            assertThat(client.closedByServer()).isTrue();
        }
        stack.awaitMessage("john", marker);
        stack.awaitMessage("jane", marker);
    }

    @Test
    void theNextTransactionSentRightBehindTheDotIsNotLost() throws Exception {
        String first = "pipe-first-" + UUID.randomUUID();
        String second = "pipe-second-" + UUID.randomUUID();
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.write("MAIL FROM:<p@example.net>\r\nRCPT TO:<john@example.org>\r\nDATA\r\n");
            client.expect(250);
            client.expect(250);
            client.expect(354);
            client.write("Subject: " + first + "\r\n\r\nbody\r\n.\r\n"
                    + "MAIL FROM:<p@example.net>\r\nRCPT TO:<jane@example.org>\r\nDATA\r\n");
            assertThat(client.expect(250).last()).contains("queued as");
            client.expect(250);
            client.expect(250);
            client.expect(354);
            client.write("Subject: " + second + "\r\n\r\nbody\r\n.\r\nQUIT\r\n");
            assertThat(client.expect(250).last()).contains("queued as");
            client.expect(221);
        }
        stack.awaitMessage("john", first);
        stack.awaitMessage("jane", second);
    }

    @Test
    void theEndOfDataIsFoundWhereverItFallsInTheServersReadBuffer() throws Exception {
        // bodies around the 8 KiB read size and the 16 KiB line buffer, each followed in the same write by a
        // command: the terminator and the command straddle buffer boundaries at different offsets
        String marker = "pipe-boundary-" + UUID.randomUUID();
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            int n = 0;
            for (int size : new int[] {8180, 8187, 8188, 8189, 8190, 8191, 8192, 8193, 16_370, 16_379, 16_380,
                    16_381, 16_382, 16_383, 16_384, 16_385, 24_570}) {
                client.write("MAIL FROM:<p@example.net>\r\nRCPT TO:<john@example.org>\r\nDATA\r\n");
                client.expect(250);
                client.expect(250);
                client.expect(354);
                String head = "Subject: " + marker + " " + (n++) + "\r\n\r\n";
                String body = "b".repeat(size - head.length() - 2) + "\r\n";
                client.write(head + body + ".\r\nNOOP\r\n");
                assertThat(client.expect(250).last()).contains("queued as");
                assertThat(client.expect(250).last()).isEqualTo("250 2.0.0 Ok");
            }
            client.command("QUIT", 221);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                    .until(() -> stack.messagesWith("john", marker).size() == 17);
            for (var file : stack.messagesWith("john", marker)) {
                String text = Files.readString(file);
                assertThat(text).endsWith("b\n").doesNotContain("NOOP").doesNotContain("\r");
            }
        }
    }
}

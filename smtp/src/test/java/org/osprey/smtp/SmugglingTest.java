package org.osprey.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SMTP smuggling (CVE-2023-51764 and kin): an end of data that a sloppy receiver would accept ("\n.\r\n",
 * "\r\n.\n", bare CR) must never end the message here, nor may what follows it run as a second transaction. Osprey
 * refuses the message with 521 and closes the connection; nothing of either message is delivered.
 */
@ExtendWith(SharedSmtpStack.class)
class SmugglingTest {
    private final SmtpStack stack;

    SmugglingTest(SmtpStack stack) {
        this.stack = stack;
    }

    /** The false end of data, as Java escapes: each is a line ending some receiver accepts and we must not. */
    @ParameterizedTest(name = "false end of data {0}")
    @ValueSource(strings = {"\\n.\\r\\n", "\\r\\n.\\n", "\\n.\\n", "\\r.\\r\\n", "\\r\\n.\\r", "\\r.\\r"})
    void aFalseEndOfDataIsRefusedAndNothingIsSmuggled(String falseEnd) throws Exception {
        String first = "first-" + UUID.randomUUID();
        String smuggled = "smuggled-" + UUID.randomUUID();
        String attack = "From: sender@example.net\r\nSubject: " + first + "\r\n\r\nlegit"
                + Transcript.unescape(falseEnd)
                + "MAIL FROM:<admin@example.org>\r\n"
                + "RCPT TO:<john@example.org>\r\n"
                + "DATA\r\n"
                + "From: admin@example.org\r\nSubject: " + smuggled + "\r\n\r\nsmuggled\r\n"
                + ".\r\n"
                + "QUIT\r\n";
        List<String> afterData = new ArrayList<>();
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<sender@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.command("DATA", 354);
            client.write(attack);
            try {
                for (String line; (line = client.readLine()) != null; ) {
                    afterData.add(line);
                }
            } catch (java.net.SocketException reset) {
                // closed with our smuggled bytes unread: the kernel may answer with a reset
            }
        }
        assertThat(afterData).as("everything the server said after the data").hasSize(1);
        assertThat(afterData.getFirst()).startsWith("521 5.5.2 ");

        assertNeitherIsEverDelivered(first, smuggled);
    }

    @Test
    void aBareCrInsideALineIsRefusedAsWell() throws Exception {
        String marker = "bare-cr-" + UUID.randomUUID();
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<sender@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.command("DATA", 354);
            client.write("Subject: " + marker + "\r\n\r\nline\rwith a bare CR\r\n.\r\n");
            assertThat(client.readLine()).startsWith("521 5.5.2 ");
            assertThat(client.closedByServer()).isTrue();
        }
        assertNeitherIsEverDelivered(marker, marker);
    }

    @Test
    void aCommandEndingInBareLfIsRefusedAndNotExecuted() throws Exception {
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.write("MAIL FROM:<sender@example.net>\n");
            assertThat(client.expect(500).last()).startsWith("500 5.5.2");
            // MAIL did not happen
            client.command("RCPT TO:<john@example.org>", 503);
            client.command("MAIL FROM:<sender@example.net>", 250);
            client.write("RCPT TO:<john@example.org>\nDATA\r\n");
            client.expect(500);
            client.expect(554);
        }
    }

    /** A canary sent after the attack is delivered; by then the refused messages would have been too. */
    private void assertNeitherIsEverDelivered(String first, String smuggled) throws Exception {
        String canary = "canary-" + UUID.randomUUID();
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.sendMessage("c@example.net", List.of("john@example.org"), "Subject: " + canary + "\r\n\r\nok\r\n");
        }
        stack.awaitMessage("john", canary);
        assertThat(stack.messagesWith("john", smuggled)).isEmpty();
        assertThat(stack.messagesWith("john", first)).isEmpty();
        for (String id : stack.spool.ids()) {
            String queued;
            try {
                queued = Files.readString(stack.dir.resolve("spool/queue/" + id), StandardCharsets.ISO_8859_1);
            } catch (NoSuchFileException delivered) {
                continue;
            }
            assertThat(queued).doesNotContain(smuggled).doesNotContain(first);
        }
    }
}

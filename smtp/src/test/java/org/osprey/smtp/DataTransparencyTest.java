package org.osprey.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DATA transparency (RFC 5321 §4.5.2): the client doubles a leading dot, the server removes it, and what lands in
 * the Maildir is the message byte for byte — LF line endings, with Return-Path, Delivered-To and our Received first.
 * BDAT has no dot-stuffing at all: its bytes arrive untouched.
 */
@ExtendWith(SharedSmtpStack.class)
class DataTransparencyTest {
    /** Our Received header as it is written to the Maildir (LF), for the id and date we cannot know in advance. */
    private static final String RECEIVED = "Received: from client\\.example\\.net \\(\\[127\\.0\\.0\\.1\\]\\)\n"
            + "\tby mx\\.example\\.org \\(Osprey\\) with (ESMTP|UTF8SMTP) id [0-9A-Z]+\n"
            + "\tfor <john@example\\.org>; \\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\n";

    private final SmtpStack stack;

    DataTransparencyTest(SmtpStack stack) {
        this.stack = stack;
    }

    private static void assertDelivered(byte[] file, String sender, String expectedMessage) {
        String text = new String(file, StandardCharsets.UTF_8);
        String head = "Return-Path: <" + sender + ">\nDelivered-To: john@example.org\n";
        assertThat(text).startsWith(head);
        var m = Pattern.compile(Pattern.quote(head) + RECEIVED).matcher(text);
        assertThat(m.lookingAt()).as("Received header in%n%s", text).isTrue();
        assertThat(text.substring(m.end())).isEqualTo(expectedMessage);
    }

    @Test
    void dotStuffedLinesArriveWithOneDotLess() throws Exception {
        String marker = "dots-" + UUID.randomUUID();
        String onTheWire = "Subject: " + marker + "\r\n"
                + "\r\n"
                + "..x\r\n"         // ".x"
                + "..\r\n"          // "." alone, which unstuffed would end DATA
                + "...\r\n"         // ".."
                + " .\r\n"          // a dot after a space is not at the line start
                + "a.\r\n"
                + "\r\n"
                + "..\r\n"
                + "last line\r\n"
                + ".\r\n";
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<dots@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.command("DATA", 354);
            client.write(onTheWire);
            client.expect(250);
        }
        byte[] file = Files.readAllBytes(stack.awaitMessage("john", marker));
        assertDelivered(file, "dots@example.net",
                "Subject: " + marker + "\n\n.x\n.\n..\n .\na.\n\n.\nlast line\n");
    }

    @Test
    void eightBitAndUtf8ContentIsDeliveredByteForByte() throws Exception {
        String marker = "8bit-" + UUID.randomUUID();
        String message = "Subject: " + marker + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\nGrüße aus Köln — ½ € ✓\r\n\ttab\r\ntrailing space \r\n";
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<umlaut@example.net> BODY=8BITMIME", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.command("DATA", 354);
            client.write(SmtpClient.dotStuff(message) + ".\r\n");
            client.expect(250);
        }
        byte[] file = Files.readAllBytes(stack.awaitMessage("john", marker));
        assertDelivered(file, "umlaut@example.net", message.replace("\r\n", "\n"));
    }

    @Test
    void aMessageWithoutAFinalLineBreakBeforeTheDotEndsInCrlf() throws Exception {
        // "\r\n.\r\n" ends DATA: the CRLF before the dot belongs to the last line (RFC 5321 §4.1.1.4)
        String marker = "nofinal-" + UUID.randomUUID();
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<a@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.command("DATA", 354);
            client.write("Subject: " + marker + "\r\n\r\nlast\r\n.\r\n");
            client.expect(250);
        }
        assertDelivered(Files.readAllBytes(stack.awaitMessage("john", marker)), "a@example.net",
                "Subject: " + marker + "\n\nlast\n");
    }

    @Test
    void bdatContentIsNotUnstuffed() throws Exception {
        String marker = "bdat-dots-" + UUID.randomUUID();
        String message = "Subject: " + marker + "\r\n\r\n..x\r\n.\r\nafter the dot\r\n";
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<bdat@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.write("BDAT " + bytes.length + " LAST\r\n" + message);
            client.expect(250);
        }
        assertDelivered(Files.readAllBytes(stack.awaitMessage("john", marker)), "bdat@example.net",
                message.replace("\r\n", "\n"));
    }
}

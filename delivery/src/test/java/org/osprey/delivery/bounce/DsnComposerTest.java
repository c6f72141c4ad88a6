package org.osprey.delivery.bounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.junit.jupiter.api.Test;
import org.osprey.delivery.Envelope;
import org.osprey.delivery.Target;

/** Bounces parsed back with mime4j: the RFC 6522 structure, the RFC 3464 fields, the returned header. */
class DsnComposerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-05T10:15:30Z"), ZoneOffset.UTC);
    private static final String HEADER = """
            Received: from client.example.org (client.example.org [192.0.2.7])\r
            \tby mail.example.org with ESMTPSA id 0QX5Z1ABCD12E\r
            From: Jane <jane@example.org>\r
            To: john@example.net, nobody@example.com\r
            Subject: Quarterly numbers\r
            Message-ID: <q1@example.org>\r
            """;
    private static final String MESSAGE = HEADER + "\r\nSECRET BODY TEXT that must not come back\r\n";

    private final DsnComposer composer = new DsnComposer("mail.example.org", CLOCK);

    private static Envelope envelope(String sender, boolean smtpUtf8) {
        return new Envelope("0QX5Z1ABCD12E", Instant.parse("2026-03-01T08:00:00Z").toEpochMilli(), sender,
                List.of("john@example.net"), List.of(new Target(Target.Kind.REMOTE, "john@example.net",
                "john@example.net")), "192.0.2.7", "client.example.org", "ESMTPSA", smtpUtf8, "8BITMIME", List.of(),
                MESSAGE.length());
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Message parse(byte[] content) throws IOException {
        return new DefaultMessageBuilder().parseMessage(new ByteArrayInputStream(content));
    }

    private static String field(Message message, String name) {
        return message.getHeader().getField(name).getBody();
    }

    private static byte[] bytes(Entity part) throws IOException {
        try (InputStream in = ((SingleBody) part.getBody()).getInputStream()) {
            return in.readAllBytes();
        }
    }

    /** The groups of a delivery-status body (per-message, then per-recipient), fields unfolded. */
    private static List<Map<String, String>> groups(byte[] content) {
        var groups = new ArrayList<Map<String, String>>();
        String text = new String(content, StandardCharsets.UTF_8).replace("\r\n ", " ").replace("\r\n\t", " ");
        for (String block : text.split("\r\n\r\n")) {
            if (block.isBlank()) {
                continue;
            }
            Map<String, String> group = new LinkedHashMap<>();
            for (String line : block.split("\r\n")) {
                int colon = line.indexOf(':');
                group.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
            groups.add(group);
        }
        return groups;
    }

    private static void assertWellFormedLines(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        assertThat(text).endsWith("\r\n");
        assertThat(text.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
        for (String line : text.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(998);
        }
    }

    @Test
    void failureReportHasTheThreePartsAndTheFields() throws IOException {
        var john = new DsnRecipient("john@example.net", "john@example.net", "5.1.1 host mx.example.net[192.0.2.1]"
                + " said: 550 5.1.1 <john@example.net>: Recipient address rejected: User unknown (in reply to RCPT"
                + " TO command)");
        var alias = new DsnRecipient("boss@example.com", "ceo@example.org", "5.2.2 mailbox full",
                Optional.of("mx1.example.com"));
        DsnMessage dsn = composer.failure(envelope("jane@example.org", false), List.of(john, alias), stream(MESSAGE));

        assertThat(dsn.recipient()).isEqualTo("jane@example.org");
        assertThat(dsn.smtpUtf8()).isFalse();
        assertWellFormedLines(dsn.content());
        String raw = new String(dsn.content(), StandardCharsets.US_ASCII);
        assertThat(raw).doesNotContain("SECRET BODY").matches("\\A[\\x00-\\x7f]*\\z");

        Message message = parse(dsn.content());
        assertThat(field(message, "From")).isEqualTo("Mail Delivery System <MAILER-DAEMON@mail.example.org>");
        assertThat(field(message, "To")).isEqualTo("jane@example.org");
        assertThat(message.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(field(message, "Date")).isEqualTo("Thu, 5 Mar 2026 10:15:30 +0000");
        assertThat(field(message, "Auto-Submitted")).isEqualTo("auto-replied");
        assertThat(field(message, "Message-ID")).matches("<0QX5Z1ABCD12E\\.[0-9a-f]{16}\\.dsn@mail\\.example\\.org>");
        assertThat(message.getMimeType()).isEqualTo("multipart/report");
        assertThat(field(message, "Content-Type")).contains("report-type=delivery-status");

        List<Entity> parts = ((Multipart) message.getBody()).getBodyParts();
        assertThat(parts).extracting(Entity::getMimeType).containsExactly("text/plain", "message/delivery-status",
                "text/rfc822-headers");

        String text = new String(bytes(parts.get(0)), StandardCharsets.US_ASCII);
        assertThat(text).contains("This is the mail system at mail.example.org.")
                .contains("could not be delivered")
                .contains("<john@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1")
                .contains("<boss@example.com> (expanded from <ceo@example.org>): mailbox full");
        for (String line : text.split("\r\n")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(78);
        }

        List<Map<String, String>> groups = groups(bytes(parts.get(1)));
        assertThat(groups).hasSize(3);
        assertThat(groups.get(0)).containsEntry("Reporting-MTA", "dns; mail.example.org")
                .containsEntry("X-Osprey-Queue-ID", "0QX5Z1ABCD12E")
                .containsEntry("X-Osprey-Sender", "rfc822; jane@example.org")
                .containsEntry("Arrival-Date", "Sun, 1 Mar 2026 08:00:00 +0000");
        assertThat(groups.get(1)).containsEntry("Final-Recipient", "rfc822; john@example.net")
                .doesNotContainKey("Original-Recipient")
                .containsEntry("Action", "failed")
                .containsEntry("Status", "5.1.1")
                .containsEntry("Remote-MTA", "dns; mx.example.net")
                .containsEntry("Diagnostic-Code", "smtp; 550 5.1.1 <john@example.net>: Recipient address rejected:"
                        + " User unknown")
                .containsEntry("Last-Attempt-Date", "Thu, 5 Mar 2026 10:15:30 +0000")
                .doesNotContainKey("Will-Retry-Until");
        assertThat(groups.get(2)).containsEntry("Final-Recipient", "rfc822; boss@example.com")
                .containsEntry("Original-Recipient", "rfc822; ceo@example.org")
                .containsEntry("Status", "5.2.2")
                .containsEntry("Remote-MTA", "dns; mx1.example.com")
                .containsEntry("Diagnostic-Code", "X-Osprey; mailbox full");

        assertThat(new String(bytes(parts.get(2)), StandardCharsets.US_ASCII)).isEqualTo(HEADER);
    }

    @Test
    void delayWarningSaysUntilWhenItRetries() throws IOException {
        var john = new DsnRecipient("john@example.net", "john@example.net",
                "4.4.2 lost connection with mx.example.net[192.0.2.1] while sending RCPT TO");
        Instant until = Instant.parse("2026-03-06T08:00:00Z");
        DsnMessage dsn = composer.delay(envelope("jane@example.org", false), List.of(john), until, stream(MESSAGE));

        Message message = parse(dsn.content());
        assertThat(message.getSubject()).isEqualTo("Delayed Mail (still being retried)");
        List<Entity> parts = ((Multipart) message.getBody()).getBodyParts();
        assertThat(new String(bytes(parts.get(0)), StandardCharsets.US_ASCII).replace("\r\n", " "))
                .contains("has not yet been delivered").contains("until Fri, 6 Mar 2026 08:00:00 +0000");
        Map<String, String> recipient = groups(bytes(parts.get(1))).get(1);
        assertThat(recipient).containsEntry("Action", "delayed").containsEntry("Status", "4.4.2")
                .containsEntry("Will-Retry-Until", "Fri, 6 Mar 2026 08:00:00 +0000")
                .containsEntry("Remote-MTA", "dns; mx.example.net")
                .containsEntry("Diagnostic-Code", "X-Osprey; lost connection with mx.example.net[192.0.2.1] while"
                        + " sending RCPT TO");
        assertThat(parts.get(2).getMimeType()).isEqualTo("text/rfc822-headers");
    }

    @Test
    void neverABounceOfABounce() {
        var r = new DsnRecipient("john@example.net", null, "5.1.1 no");
        assertThatThrownBy(() -> composer.failure(envelope("", false), List.of(r), stream(MESSAGE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null sender");
        assertThatThrownBy(() -> composer.failure(envelope("jane@example.org", false), List.of(), stream(MESSAGE)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> composer.failure(envelope("jane@example.org\r\nBcc: x@y", false), List.of(r),
                stream(MESSAGE))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyTheHeaderIsReadAndItIsCappedAtWholeLines() throws IOException {
        var header = new StringBuilder("From: jane@example.org\r\n");
        for (int i = 0; header.length() < 100_000; i++) {
            header.append("X-Filler-").append(i).append(": ").append("x".repeat(70)).append("\r\n");
        }
        byte[] head = (header + "\r\n").getBytes(StandardCharsets.US_ASCII);
        long bodySize = 50L * 1024 * 1024;
        long[] read = {0};
        InputStream original = new InputStream() {
            long position;

            @Override
            public int read() {
                if (position >= head.length + bodySize) {
                    return -1;
                }
                read[0]++;
                long p = position++;
                return p < head.length ? head[(int) p] : 'B';
            }
        };
        var r = new DsnRecipient("john@example.net", null, "5.1.1 no");
        DsnMessage dsn = composer.failure(envelope("jane@example.org", false), List.of(r), original);

        assertThat(read[0]).isLessThan(DsnComposer.HEADER_LIMIT + 16 * 1024L);
        List<Entity> parts = ((Multipart) parse(dsn.content()).getBody()).getBodyParts();
        String returned = new String(bytes(parts.get(2)), StandardCharsets.US_ASCII);
        assertThat(returned.length()).isLessThanOrEqualTo(DsnComposer.HEADER_LIMIT).isGreaterThan(60_000);
        assertThat(returned).startsWith("From: jane@example.org\r\n").endsWith("x\r\n");
        assertThat(header.toString()).startsWith(returned);
        assertThat(new String(bytes(parts.get(0)), StandardCharsets.US_ASCII)).contains("cut at 64 KB");
    }

    @Test
    void aMessageThatIsAllHeaderOrHasLfLineEnds() throws IOException {
        var r = new DsnRecipient("john@example.net", null, "5.1.1 no");
        DsnMessage dsn = composer.failure(envelope("jane@example.org", false), List.of(r),
                stream("Subject: only a header\nFrom: jane@example.org"));
        assertWellFormedLines(dsn.content());
        List<Entity> parts = ((Multipart) parse(dsn.content()).getBody()).getBodyParts();
        assertThat(new String(bytes(parts.get(2)), StandardCharsets.US_ASCII))
                .isEqualTo("Subject: only a header\r\nFrom: jane@example.org\r\n");
    }

    @Test
    void legacyEightBitHeaderIsQuotedPrintableSoTheReportStaysSevenBit() throws IOException {
        byte[] latin1 = ("From: j\u00f6rg@example.org\r\nSubject: Gr\u00fc\u00dfe = hallo\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        var r = new DsnRecipient("john@example.net", null, "5.1.1 the server said: \u00fcnknown user");
        DsnMessage dsn = composer.failure(envelope("jorg@example.org", false), List.of(r),
                new ByteArrayInputStream(latin1));
        assertThat(dsn.smtpUtf8()).isFalse();
        assertThat(new String(dsn.content(), StandardCharsets.ISO_8859_1)).matches("\\A[\\x00-\\x7f]*\\z");
        List<Entity> parts = ((Multipart) parse(dsn.content()).getBody()).getBodyParts();
        assertThat(parts.get(2).getContentTransferEncoding()).isEqualTo("quoted-printable");
        assertThat(bytes(parts.get(2))).isEqualTo(("From: j\u00f6rg@example.org\r\nSubject: Gr\u00fc\u00dfe = hallo"
                + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(new String(bytes(parts.get(0)), StandardCharsets.US_ASCII)).contains("?nknown user");
    }

    @Test
    void internationalAddressesUseTheGlobalTypesOfRfc6533() throws IOException {
        String header = "From: J\u00f6rg <j\u00f6rg@b\u00fccher.example>\r\nSubject: \u2603\r\n";
        var r = new DsnRecipient("\u7528\u6237@\u4f8b\u5b50.example", null, "5.1.1 host mx.example[192.0.2.9] said:"
                + " 550 5.1.1 unknown user (in reply to RCPT TO command)");
        DsnMessage dsn = composer.failure(envelope("j\u00f6rg@b\u00fccher.example", true), List.of(r),
                stream(header + "\r\nbody\r\n"));
        assertThat(dsn.smtpUtf8()).isTrue();
        assertWellFormedLines(dsn.content());

        Message message = parse(dsn.content());
        List<Entity> parts = ((Multipart) message.getBody()).getBodyParts();
        assertThat(parts).extracting(Entity::getMimeType).containsExactly("text/plain",
                "message/global-delivery-status", "message/global-headers");
        assertThat(field(message, "Content-Transfer-Encoding")).isEqualTo("8bit");
        Map<String, String> recipient = groups(bytes(parts.get(1))).get(1);
        assertThat(recipient).containsEntry("Final-Recipient", "utf-8; \u7528\u6237@\u4f8b\u5b50.example")
                .containsEntry("Status", "5.1.1");
        assertThat(groups(bytes(parts.get(1))).get(0)).containsEntry("X-Osprey-Sender",
                "utf-8; j\u00f6rg@b\u00fccher.example");
        assertThat(new String(bytes(parts.get(2)), StandardCharsets.UTF_8)).isEqualTo(header);
        assertThat(new String(bytes(parts.get(0)), StandardCharsets.UTF_8)).contains(
                "<\u7528\u6237@\u4f8b\u5b50.example>: host mx.example[192.0.2.9] said:");
    }

    @Test
    void anAsciiMessageSentWithSmtputf8StillGetsAPlainReport() throws IOException {
        var r = new DsnRecipient("john@example.net", null, "5.1.1 no");
        DsnMessage dsn = composer.failure(envelope("jane@example.org", true), List.of(r), stream(MESSAGE));
        assertThat(dsn.smtpUtf8()).isFalse();
        assertThat(((Multipart) parse(dsn.content()).getBody()).getBodyParts().get(1).getMimeType())
                .isEqualTo("message/delivery-status");
    }

    @Test
    void longAndMultiLineReasonsAreFoldedNeverBrokenIntoFakeFields() throws IOException {
        String reason = "5.7.1 host mx.example.net[192.0.2.1] said: 550 5.7.1 blocked\r\nInjected: header "
                + "blocked ".repeat(100) + "y".repeat(1000) + " (in reply to end of DATA command)";
        var r = new DsnRecipient("john@example.net", null, reason);
        DsnMessage dsn = composer.failure(envelope("jane@example.org", false), List.of(r), stream(MESSAGE));
        assertWellFormedLines(dsn.content());
        List<Entity> parts = ((Multipart) parse(dsn.content()).getBody()).getBodyParts();
        Map<String, String> recipient = groups(bytes(parts.get(1))).get(1);
        assertThat(recipient).doesNotContainKey("Injected").containsEntry("Status", "5.7.1");
        assertThat(recipient.get("Diagnostic-Code")).startsWith("smtp; 550 5.7.1 blocked Injected: header blocked")
                .endsWith("yyy");
    }
}

package org.osprey.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osprey.delivery.DeliveryState;

/** What happens to accepted mail: alias expansion, catch-all, subaddresses, one copy per mailbox, remote targets. */
@ExtendWith(SharedSmtpStack.class)
class DeliveryTest {
    private final SmtpStack stack;

    DeliveryTest(SmtpStack stack) {
        this.stack = stack;
    }

    private static String marker() {
        return "delivery-" + UUID.randomUUID();
    }

    private static String message(String marker) {
        return "From: sender@example.net\r\nSubject: " + marker + "\r\n\r\nHello.\r\n";
    }

    private String send(String from, List<String> to, String marker) throws Exception {
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            SmtpClient.Reply reply = client.sendMessage(from, to, message(marker));
            assertThat(reply.code()).as(reply.text()).isEqualTo(250);
            client.command("QUIT", 221);
            return SmtpStack.queueId(reply.last());
        }
    }

    private void awaitLeftTheQueue(String id) {
        await("queue id " + id + " done").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .until(() -> !stack.spool.ids().contains(id));
    }

    @Test
    void anAliasWithTwoMembersDeliversOneCopyToEach() throws Exception {
        String marker = marker();
        send("sender@example.net", List.of("team@example.org"), marker);

        String john = Files.readString(stack.awaitMessage("john", marker));
        String jane = Files.readString(stack.awaitMessage("jane", marker));
        assertThat(john).startsWith("Return-Path: <sender@example.net>\nDelivered-To: john@example.org\n");
        assertThat(jane).startsWith("Return-Path: <sender@example.net>\nDelivered-To: jane@example.org\n");
        // the Received header names the recipient as given, not what it expanded to
        assertThat(john).contains("\tfor <team@example.org>;");
    }

    @Test
    void theCatchAllOfADomainTakesAnyLocalPart() throws Exception {
        String marker = marker();
        send("sender@example.net", List.of("whoever.this-is@catchall.example"), marker);

        assertThat(Files.readString(stack.awaitMessage("jane", marker)))
                .startsWith("Return-Path: <sender@example.net>\nDelivered-To: jane@example.org\n");
    }

    @Test
    void aSubaddressReachesTheMailboxAndDeliveredToNamesTheMailbox() throws Exception {
        String marker = marker();
        send("sender@example.net", List.of("john+newsletters@example.org"), marker);

        String delivered = Files.readString(stack.awaitMessage("john", marker));
        assertThat(delivered).startsWith("Return-Path: <sender@example.net>\nDelivered-To: john@example.org\n");
        assertThat(delivered).contains("\tfor <john+newsletters@example.org>;");
    }

    @Test
    void oneMailboxReachedThroughSeveralRecipientsGetsOneCopy() throws Exception {
        String marker = marker();
        String id = send("sender@example.net",
                List.of("john@example.org", "postmaster@example.org", "john+tag@example.org", "team@example.org"),
                marker);

        stack.awaitMessage("john", marker);
        awaitLeftTheQueue(id);
        assertThat(stack.messagesWith("john", marker)).hasSize(1);
        assertThat(stack.messagesWith("jane", marker)).hasSize(1);
        // with several recipients none is named in Received (it would disclose the others)
        assertThat(Files.readString(stack.messagesWith("john", marker).getFirst())).doesNotContain("\tfor <");
    }

    @Test
    void theNullSenderIsDeliveredWithAnEmptyReturnPath() throws Exception {
        String marker = marker();
        send("", List.of("john@example.org"), marker);

        assertThat(Files.readString(stack.awaitMessage("john", marker)))
                .startsWith("Return-Path: <>\nDelivered-To: john@example.org\n");
    }

    @Test
    void anExternalAliasTargetStaysQueuedWhileTheLocalCopyIsDelivered() throws Exception {
        String marker = marker();
        String id = send("sender@example.net", List.of("ext@example.org", "john@example.org"), marker);

        stack.awaitMessage("john", marker);
        DeliveryState state = await("state of " + id).atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(20)).until(() -> stack.spool.state(id).orElse(null),
                        s -> s != null);
        assertThat(stack.spool.ids()).contains(id);
        assertThat(state.done()).containsExactly("local:john@example.org");
        assertThat(state.pending()).containsOnlyKeys("remote:someone@example.net");
        DeliveryState.Attempt attempt = state.pending().get("remote:someone@example.net");
        assertThat(attempt.error()).startsWith("4.");
        assertThat(attempt.nextMillis()).isGreaterThan(System.currentTimeMillis());
        Path stateFile = stack.dir.resolve("spool/queue/" + id + ".state");
        assertThat(Files.readString(stateFile)).contains("remote:someone@example.net");
        // and the local copy is not delivered again by a later attempt
        assertThat(stack.messagesWith("john", marker)).hasSize(1);
    }

    @Test
    void anSmtpUtf8MessageKeepsItsUtf8SenderAndSaysUtf8SmtpInReceived() throws Exception {
        String marker = marker();
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<jörg@bücher.example> SMTPUTF8 BODY=8BITMIME", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.command("DATA", 354);
            client.write("From: Jörg <jörg@bücher.example>\r\nSubject: " + marker + "\r\n\r\nünïcödé\r\n.\r\n");
            client.expect(250);
        }
        String delivered = Files.readString(stack.awaitMessage("john", marker));
        // the domain travels as A-label, the local part as UTF-8 (RFC 6531)
        assertThat(delivered).startsWith("Return-Path: <jörg@xn--bcher-kva.example>\nDelivered-To: john@example.org\n");
        assertThat(delivered).contains("\tby mx.example.org (Osprey) with UTF8SMTP id ").endsWith("\n\nünïcödé\n");
    }

    @Test
    void aMessageAfterHeloSaysSmtpInReceived() throws Exception {
        String marker = marker();
        try (SmtpClient client = stack.connect()) {
            client.expect(220);
            client.command("HELO old.example.net", 250);
            client.sendMessage("old@example.net", List.of("john@example.org"), message(marker));
        }
        assertThat(Files.readString(stack.awaitMessage("john", marker)))
                .contains("Received: from old.example.net ([127.0.0.1])\n\tby mx.example.org (Osprey) with SMTP id ");
    }

    @Test
    void postmasterWithoutDomainIsDeliveredToThePostmasterOfOurDomain() throws Exception {
        String marker = marker();
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<>", 250);
            client.command("RCPT TO:<Postmaster>", 250);
            client.command("DATA", 354);
            client.write(message(marker) + ".\r\n");
            client.expect(250);
        }
        assertThat(Files.readString(stack.awaitMessage("john", marker)))
                .startsWith("Return-Path: <>\nDelivered-To: john@example.org\n");
    }
}

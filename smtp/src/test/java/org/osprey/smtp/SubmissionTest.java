package org.osprey.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submission (RFC 6409 on the 587-style listener with STARTTLS, RFC 8314 on the 465-style one): AUTH only after
 * TLS, MAIL only after AUTH, relaying for logged-in users, the sender-login check on the envelope and on From:,
 * and the clean-up (Date, Message-ID, a Received header without the client's address). Driven by a raw client,
 * Python's smtplib and Jakarta Mail.
 */
@ExtendWith(SharedSmtpStack.class)
class SubmissionTest {
    private final SmtpStack stack;

    @TempDir
    Path tmp;

    SubmissionTest(SmtpStack stack) {
        this.stack = stack;
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private SmtpClient loggedIn(String user, String password) throws Exception {
        SmtpClient c = SmtpClient.connect(stack.submissionPort());
        c.ehlo();
        c.startTls();
        c.command("EHLO client.example.net", 250);
        c.command("AUTH PLAIN " + plain(user, password), 235);
        return c;
    }

    @Test
    void authIsOfferedOnlyAfterTlsAndMailOnlyAfterAuth() throws Exception {
        try (SmtpClient c = SmtpClient.connect(stack.submissionPort())) {
            SmtpClient.Reply ehlo = c.ehlo();
            assertThat(ehlo.lines()).anyMatch(l -> l.endsWith("STARTTLS")).noneMatch(l -> l.contains("AUTH"));
            assertThat(c.command("AUTH PLAIN " + plain("john@example.org", "john-secret")).code()).isEqualTo(538);
            assertThat(c.command("MAIL FROM:<john@example.org>").text()).startsWith("530 5.7.0");
            c.startTls();
            SmtpClient.Reply again = c.command("EHLO client.example.net", 250);
            assertThat(again.lines()).anyMatch(l -> l.endsWith("AUTH PLAIN LOGIN"))
                    .noneMatch(l -> l.endsWith("STARTTLS"));
            assertThat(c.command("MAIL FROM:<john@example.org>").code()).isEqualTo(530);
            assertThat(c.command("AUTH PLAIN " + plain("john@example.org", "wrong")).code()).isEqualTo(535);
            assertThat(c.command("AUTH CRAM-MD5").code()).isEqualTo(504);
            // LOGIN with its two challenges, then the session may send
            c.command("AUTH LOGIN", 334);
            c.command(Base64.getEncoder().encodeToString("john@example.org".getBytes()), 334);
            c.command(Base64.getEncoder().encodeToString("john-secret".getBytes()), 235);
            assertThat(c.command("AUTH PLAIN " + plain("john@example.org", "john-secret")).code()).isEqualTo(503);
            c.command("MAIL FROM:<john@example.org>", 250);
        }
    }

    @Test
    void aMailTransactionBeforeAuthOnTheMxPortStillRefusesAuth() throws Exception {
        try (SmtpClient c = SmtpClient.connect(stack.port())) {
            c.ehlo();
            c.startTls();
            SmtpClient.Reply ehlo = c.command("EHLO client.example.net", 250);
            assertThat(ehlo.lines()).noneMatch(l -> l.contains("AUTH"));
            assertThat(c.command("AUTH PLAIN " + plain("john@example.org", "john-secret")).code()).isEqualTo(503);
        }
    }

    @Test
    void anAbortedAuthAndBadBase64AreRefusedAndTheSessionGoesOn() throws Exception {
        try (SmtpClient c = SmtpClient.connect(stack.submissionPort())) {
            c.ehlo();
            c.startTls();
            c.command("EHLO client.example.net", 250);
            c.command("AUTH PLAIN", 334);
            assertThat(c.command("*").code()).isEqualTo(501);
            assertThat(c.command("AUTH PLAIN %%%not-base64").code()).isEqualTo(501);
            c.command("AUTH PLAIN " + plain("jane@example.org", "jane-secret"), 235);
        }
    }

    @Test
    void aLoggedInUserRelaysAndLocalRecipientsAreDeliveredAtOnce() throws Exception {
        String marker = "relay-" + UUID.randomUUID();
        try (SmtpClient c = loggedIn("john@example.org", "john-secret")) {
            c.command("MAIL FROM:<john@example.org>", 250);
            c.command("RCPT TO:<someone@elsewhere.example>", 250);
            c.command("RCPT TO:<jane@example.org>", 250);
            c.command("DATA", 354);
            c.write("From: John <john@example.org>\r\nTo: jane@example.org\r\nSubject: " + marker
                    + "\r\n\r\nHello.\r\n.\r\n");
            String id = SmtpStack.queueId(c.reply().text());
            String delivered = Files.readString(stack.awaitMessage("jane", marker));
            // clean-up: Date and Message-ID added, the client's address not disclosed, ESMTPSA recorded
            assertThat(delivered).contains("Message-ID: <" + id + ".").contains("\nDate: ")
                    .contains("with ESMTPSA id " + id).doesNotContain("127.0.0.1").doesNotContain("client.example.net");
            // the external recipient waits in the outbound queue
            assertThat(stack.spool.envelope(id)).hasValueSatisfying(e -> assertThat(e.targets())
                    .anyMatch(t -> t.address().equals("someone@elsewhere.example")));
        }
    }

    @Test
    void theSenderMustBeTheUsersOwnAddressOrAnAliasOfIt() throws Exception {
        try (SmtpClient c = loggedIn("john@example.org", "john-secret")) {
            SmtpClient.Reply other = c.command("MAIL FROM:<jane@example.org>");
            assertThat(other.code()).isEqualTo(553);
            assertThat(other.text()).startsWith("553 5.7.1").contains("not owned by user john@example.org");
            assertThat(c.command("MAIL FROM:<someone@gmail.example>").code()).isEqualTo(553);
            // jane@ gets mail through the catch-all of catchall.example, but a catch-all owns no sender address
            assertThat(c.command("MAIL FROM:<anything@catchall.example>").code()).isEqualTo(553);
            // postmaster@ is an alias that delivers to john; a subaddress of his own address is his too
            c.command("MAIL FROM:<postmaster@example.org>", 250);
            c.command("RSET", 250);
            c.command("MAIL FROM:<john+lists@example.org>", 250);
            c.command("RSET", 250);
            c.command("MAIL FROM:<>", 250);
        }
        try (SmtpClient c = loggedIn("boss@anyone.example", "boss-secret")) {
            c.command("MAIL FROM:<ceo@somewhere.example>", 250); // any_sender_domains
        }
    }

    @Test
    void aFromHeaderWithSomeoneElsesAddressIsRefusedAndNothingIsQueued() throws Exception {
        String marker = "forged-" + UUID.randomUUID();
        try (SmtpClient c = loggedIn("john@example.org", "john-secret")) {
            c.command("MAIL FROM:<john@example.org>", 250);
            c.command("RCPT TO:<jane@example.org>", 250);
            c.command("DATA", 354);
            c.write("From: The Boss <jane@example.org>\r\nSubject: " + marker + "\r\n\r\nPay this.\r\n.\r\n");
            SmtpClient.Reply reply = c.reply();
            assertThat(reply.code()).isEqualTo(553);
            assertThat(reply.text()).contains("From: address rejected");
            assertThat(stack.spool.ids()).noneMatch(id -> {
                try {
                    return stack.spool.message(id, stack.spool.envelope(id).orElseThrow()).readAllBytes().length
                            > 0 && new String(stack.spool.message(id, stack.spool.envelope(id).orElseThrow())
                            .readAllBytes(), StandardCharsets.UTF_8).contains(marker);
                } catch (Exception e) {
                    return false;
                }
            });
            // the session goes on
            c.command("MAIL FROM:<john@example.org>", 250);
        }
        Thread.sleep(300);
        assertThat(stack.messagesWith("jane", marker)).isEmpty();
    }

    @Test
    void pythonSmtplibSubmitsWithStartTlsAndOverImplicitTls() throws Exception {
        String marker = "smtplib-submit-" + UUID.randomUUID();
        Path script = tmp.resolve("submit.py");
        Files.writeString(script, """
                import smtplib, ssl, sys
                ctx = ssl._create_unverified_context()
                port, tls_port, marker = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
                s = smtplib.SMTP('127.0.0.1', port)
                s.ehlo()
                assert not s.has_extn('auth'), 'AUTH offered before TLS'
                try:
                    s.login('john@example.org', 'john-secret')
                    raise SystemExit('login before TLS worked')
                except smtplib.SMTPNotSupportedError:
                    print('no auth before tls')
                s.starttls(context=ctx)
                s.login('john@example.org', 'john-secret')
                s.sendmail('john@example.org', ['jane@example.org'],
                           'From: john@example.org\\r\\nSubject: %s-587\\r\\n\\r\\nvia 587\\r\\n' % marker)
                s.quit()
                s = smtplib.SMTP_SSL('127.0.0.1', tls_port, context=ctx)
                s.login('john@example.org', 'john-secret')
                try:
                    s.sendmail('jane@example.org', ['jane@example.org'], 'Subject: x\\r\\n\\r\\nx\\r\\n')
                    raise SystemExit('foreign sender accepted')
                except smtplib.SMTPSenderRefused as e:
                    print('sender refused', e.smtp_code)
                s.sendmail('john@example.org', ['jane@example.org'],
                           'From: john@example.org\\r\\nSubject: %s-465\\r\\n\\r\\nvia 465\\r\\n' % marker)
                s.quit()
                print('done')
                """);
        Process python = new ProcessBuilder("python3", script.toString(), String.valueOf(stack.submissionPort()),
                String.valueOf(stack.submissionsPort()), marker).redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(output).isZero();
        assertThat(output).contains("no auth before tls", "sender refused 553", "done");
        assertThat(Files.readString(stack.awaitMessage("jane", marker + "-587"))).contains("via 587");
        assertThat(Files.readString(stack.awaitMessage("jane", marker + "-465"))).contains("via 465");
    }

    @Test
    void jakartaMailSubmitsWithStartTlsAndOverImplicitTls() throws Exception {
        String marker = "angus-submit-" + UUID.randomUUID();
        for (boolean implicit : new boolean[] {false, true}) {
            Properties props = new Properties();
            String prefix = implicit ? "mail.smtps." : "mail.smtp.";
            props.put(prefix + "host", "127.0.0.1");
            props.put(prefix + "port", String.valueOf(implicit ? stack.submissionsPort() : stack.submissionPort()));
            props.put(prefix + "auth", "true");
            props.put(prefix + "ssl.trust", "*");
            props.put(prefix + "ssl.checkserveridentity", "false");
            if (!implicit) {
                props.put("mail.smtp.starttls.enable", "true");
                props.put("mail.smtp.starttls.required", "true");
            }
            Session session = Session.getInstance(props);
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress("john@example.org", "John"));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress("jane@example.org"));
            message.setSubject(marker + (implicit ? "-465" : "-587"));
            message.setText("Sent by Jakarta Mail.");
            try (Transport transport = session.getTransport(implicit ? "smtps" : "smtp")) {
                transport.connect("john@example.org", "john-secret");
                transport.sendMessage(message, message.getAllRecipients());
            }
        }
        assertThat(Files.readString(stack.awaitMessage("jane", marker + "-587"))).contains("Sent by Jakarta Mail.");
        assertThat(Files.readString(stack.awaitMessage("jane", marker + "-465"))).contains("Sent by Jakarta Mail.");
    }
}

package org.osprey.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** STARTTLS (RFC 3207) with the JDK's TLS client. */
@ExtendWith(SharedSmtpStack.class)
class StartTlsTest {
    private final SmtpStack stack;

    StartTlsTest(SmtpStack stack) {
        this.stack = stack;
    }

    @Test
    void mailAfterStartTlsIsAcceptedAndItsReceivedHeaderNamesTheTlsVersionAndCipher() throws Exception {
        String marker = "tls-" + UUID.randomUUID();
        String cipher;
        try (SmtpClient client = stack.connect()) {
            assertThat(client.ehlo().lines()).contains("250-STARTTLS");
            client.startTls();
            assertThat(client.tlsSocket().getSession().getProtocol()).isEqualTo("TLSv1.3");
            cipher = client.tlsSocket().getSession().getCipherSuite();

            SmtpClient.Reply ehlo = client.command("EHLO client.example.net", 250);
            assertThat(ehlo.lines()).noneMatch(l -> l.contains("STARTTLS")).anyMatch(l -> l.contains("PIPELINING"))
                    .noneMatch(l -> l.contains("AUTH"));
            SmtpClient.Reply reply = client.sendMessage("tls@example.net", List.of("john@example.org"),
                    "Subject: " + marker + "\r\n\r\nencrypted\r\n");
            assertThat(reply.code()).as(reply.text()).isEqualTo(250);
            client.command("QUIT", 221);
        }
        String delivered = Files.readString(stack.awaitMessage("john", marker));
        assertThat(delivered).contains("Received: from client.example.net ([127.0.0.1])\n"
                + "\t(using TLSv1.3 with cipher " + cipher + ")\n"
                + "\tby mx.example.org (Osprey) with ESMTPS id ");
    }

    @Test
    void startTlsForgetsTheSessionAndCannotBeRepeated() throws Exception {
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<tls@example.net>", 250);
            client.startTls();
            // RFC 3207 §4.2: everything from before TLS is forgotten, EHLO included
            client.command("MAIL FROM:<tls@example.net>", 503);
            client.command("EHLO client.example.net", 250);
            client.command("STARTTLS", 503);
            client.command("MAIL FROM:<tls@example.net>", 250);
        }
    }

    @Test
    void commandsPipelinedBehindStartTlsInClearTextAreDiscarded() throws Exception {
        // CVE-2011-0411: clear text sent behind STARTTLS must not be read as if it came over TLS
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.write("STARTTLS\r\nMAIL FROM:<injected@example.net>\r\n");
            client.expect(220);
            client.handshake();
            client.command("EHLO client.example.net", 250);
            // had MAIL been read, this would be a nested MAIL (503)
            client.command("MAIL FROM:<real@example.net>", 250);
        }
    }
}

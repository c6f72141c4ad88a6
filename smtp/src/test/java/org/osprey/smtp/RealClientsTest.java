package org.osprey.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients people actually use, against the real stack: Python's smtplib, swaks (with PIPELINING and with STARTTLS)
 * and Jakarta Mail (Angus). python3 and swaks must be installed (Debian: python3, swaks, libnet-ssleay-perl,
 * libio-socket-ssl-perl); a missing one fails the test with a message saying so.
 */
@ExtendWith(SharedSmtpStack.class)
class RealClientsTest {
    private static final Path SWAKS = Path.of("/usr/bin/swaks");

    private final SmtpStack stack;

    @TempDir
    Path tmp;

    RealClientsTest(SmtpStack stack) {
        this.stack = stack;
    }

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.getFirst() + " (" + e.getMessage() + "); this test needs"
                    + " it installed: on Debian apt-get install python3 swaks libnet-ssleay-perl"
                    + " libio-socket-ssl-perl", e);
        }
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.getFirst() + " did not finish");
        }
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void pythonSmtplibSendsAndSeesTheUnknownRecipientRefused() throws Exception {
        Path script = tmp.resolve("smtplib_send.py");
        try (var in = RealClientsTest.class.getResourceAsStream("/clients/smtplib_send.py")) {
            Files.write(script, in.readAllBytes());
        }
        String marker = "smtplib-" + UUID.randomUUID();
        Run run = run(List.of("python3", script.toString(), String.valueOf(stack.port()), marker));

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("features: 8bitmime chunking enhancedstatuscodes pipelining size"
                + " smtputf8 starttls\n");
        assertThat(run.output()).contains("refused: nobody@example.org=550\n");
        assertThat(run.output()).contains("all-refused: nobody@example.org=550\n");
        assertThat(run.output()).contains("tls-features: 8bitmime chunking enhancedstatuscodes pipelining size"
                + " smtputf8\n");
        assertThat(run.output()).contains("tls-refused: \n").endsWith("done\n");

        String plain = Files.readString(stack.awaitMessage("john", marker + "-plain"));
        assertThat(plain).contains("\n\nHello from smtplib.\n.leading dot\n");
        stack.awaitMessage("jane", marker + "-plain");
        assertThat(Files.readString(stack.awaitMessage("john", marker + "-tls"))).contains(" with ESMTPS id ");
        assertThat(stack.messagesWith("john", marker + "-none")).isEmpty();
    }

    private static List<String> swaks(int port, String marker, String... options) {
        if (!Files.isExecutable(SWAKS)) {
            throw new AssertionError(SWAKS + " is missing: this test drives the real swaks client; install it"
                    + " (Debian: apt-get install swaks libnet-ssleay-perl libio-socket-ssl-perl)");
        }
        List<String> command = new ArrayList<>(List.of(SWAKS.toString(), "--server", "127.0.0.1", "--port",
                String.valueOf(port), "--helo", "swaks.example.net", "--from", "swaks@example.net", "--to",
                "john@example.org", "--header", "Subject: " + marker, "--body", "sent by swaks", "--timeout", "30"));
        command.addAll(List.of(options));
        return command;
    }

    @Test
    void swaksWithPipelining() throws Exception {
        String marker = "swaks-pipe-" + UUID.randomUUID();
        Run run = run(swaks(stack.port(), marker, "--pipeline"));

        assertThat(run.exit()).as(run.output()).isZero();
        // swaks writes MAIL, RCPT and DATA before it reads the first of their replies
        assertThat(run.output()).contains(" -> MAIL FROM:<swaks@example.net>\n -> RCPT TO:<john@example.org>\n"
                + " -> DATA\n<-  250 2.1.0 Ok\n<-  250 2.1.5 Ok\n<-  354 ");
        assertThat(run.output()).doesNotContain("<** ").doesNotContain("*** ").contains("queued as");
        String delivered = Files.readString(stack.awaitMessage("john", marker));
        assertThat(delivered).contains("Received: from swaks.example.net ([127.0.0.1])").contains("sent by swaks");
    }

    @Test
    void swaksWithStartTls() throws Exception {
        String marker = "swaks-tls-" + UUID.randomUUID();
        Run run = run(swaks(stack.port(), marker, "-tls"));

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains(" -> STARTTLS\n<-  220 ").contains("TLS started")
                .doesNotContain("<** ").doesNotContain("*** ").contains("queued as");
        String delivered = Files.readString(stack.awaitMessage("john", marker));
        assertThat(delivered).contains("\t(using TLSv1.3 with cipher ").contains(" with ESMTPS id ");
    }

    @Test
    void jakartaMailTransportSendsOverStartTls() throws Exception {
        String marker = "angus-" + UUID.randomUUID();
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(stack.port()));
        props.put("mail.smtp.localhost", "angus.example.net");
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.trust", "*");
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        props.put("mail.smtp.timeout", "30000");
        props.put("mail.smtp.connectiontimeout", "30000");
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("angus@example.net"));
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse("john@example.org, jane@example.org"));
        message.setSubject(marker);
        message.setText("Grüße von Jakarta Mail\n.a line with a leading dot\n", "UTF-8");

        Transport.send(message);

        String john = Files.readString(stack.awaitMessage("john", marker));
        assertThat(john).contains("Received: from angus.example.net ([127.0.0.1])").contains(" with ESMTPS id ");
        assertThat(john).contains("\n.a line with a leading dot\n");
        stack.awaitMessage("jane", marker);
    }
}

package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.delivery.dkim.DkimKeys;
import org.osprey.delivery.dkim.Dkimpy;
import org.osprey.delivery.remote.TestSmtpServer;

/**
 * The submission issue's "done when", end to end against the built server: a mail client (Python's smtplib) logs
 * in on the submission port with STARTTLS and sends to a local user and to two external domains routed to test SMTP
 * servers on loopback, one of which answers 4xx first. All three arrive; the external copies over TLS and with
 * DKIM signatures (RSA and Ed25519) that dkimpy verifies with the records {@code osprey dkim generate} printed. A
 * message to a domain whose server answers 550 comes back to the sender's INBOX as a DSN.
 */
class SendingOutTest {
    @TempDir
    Path dir;

    @Test
    void aClientSendsToALocalUserAndTwoExternalDomainsAndAFailureBouncesBack() throws Exception {
        try (TestSmtpServer two = TestSmtpServer.start(); TestSmtpServer three = TestSmtpServer.start();
             TestSmtpServer refusing = TestSmtpServer.start()) {
            two.startTls = true;
            three.startTls = true;
            AtomicInteger threeTries = new AtomicInteger();
            three.rcptReply = to -> threeTries.incrementAndGet() == 1
                    ? "451 4.3.0 try again later" : "250 2.1.5 Ok";
            refusing.rcptReply = to -> "550 5.1.1 <" + to + ">: Recipient address rejected: User unknown";

            int smtp = ServerProcess.freePort();
            int submission = ServerProcess.freePort();
            String config = """
                    data_dir = "data"
                    hostname = "mail.example.org"
                    [listen]
                    smtp = ["127.0.0.1:%d"]
                    submission = ["127.0.0.1:%d"]
                    submissions = []
                    imap = []
                    imaps = []
                    pop3 = []
                    pop3s = []
                    managesieve = []
                    web = []
                    [delivery]
                    first_retry_seconds = 1
                    [delivery.routes]
                    "two.example" = "127.0.0.1:%d"
                    "three.example" = "127.0.0.1:%d"
                    "refusing.example" = "127.0.0.1:%d"
                    """.formatted(smtp, submission, two.port(), three.port(), refusing.port());
            try (ServerProcess server = new ServerProcess(dir, smtp, config)) {
                Cli cli = new Cli(server.config);
                assertThat(cli.run("domain", "add", "example.org").status()).isZero();
                assertThat(cli.runWithInput("john-secret\n", "user", "add", "john@example.org", "--password-stdin")
                        .status()).isZero();
                assertThat(cli.runWithInput("jane-secret\n", "user", "add", "jane@example.org", "--password-stdin")
                        .status()).isZero();
                Cli.Result rsa = cli.run("dkim", "generate", "example.org");
                assertThat(rsa.status()).as(rsa.err()).isZero();
                assertThat(rsa.out()).contains("osprey._domainkey.example.org.", "v=DKIM1; k=rsa; p=");
                assertThat(cli.run("dkim", "generate", "example.org", "--algorithm", "ed25519").status()).isZero();
                server.start();

                String output = PythonScript.run(Duration.ofSeconds(60), "submit_three_ways.py",
                        String.valueOf(submission));
                assertThat(output).contains("sent");

                Path vmail = dir.resolve("data").resolve("vmail").resolve("example.org");
                String local = await().atMost(Duration.ofSeconds(20)).until(
                        () -> newest(vmail.resolve("jane/Maildir/new"), "three ways"), m -> m != null);
                assertThat(local).contains("Hello, all three of you.").contains("DKIM-Signature:")
                        .as("a logged-in user cannot hand local users results under our name")
                        .doesNotContain("Authentication-Results: mail.example.org");

                await().atMost(Duration.ofSeconds(20)).until(() -> !two.messages.isEmpty());
                await().atMost(Duration.ofSeconds(30)).until(() -> !three.messages.isEmpty());
                assertThat(threeTries.get()).as("4xx first, then accepted on a retry").isGreaterThanOrEqualTo(2);
                var keys = new DkimKeys(dir.resolve("data")).load("example.org");
                for (TestSmtpServer sink : List.of(two, three)) {
                    TestSmtpServer.Received got = sink.messages.getFirst();
                    assertThat(got.tls()).as("sent over STARTTLS").isTrue();
                    assertThat(got.mailFrom()).startsWith("FROM:<john@example.org>");
                    assertThat(got.text()).contains("Hello, all three of you.");
                    assertThat(Dkimpy.verify(Files.createTempDirectory(dir, "dkim"), got.data(), keys))
                            .containsExactly("rsa-sha256 pass", "ed25519-sha256 pass");
                }
                assertThat(two.messages.getFirst().rcptTo()).containsExactly("anne@two.example");

                String bounce = await().atMost(Duration.ofSeconds(20)).until(
                        () -> newest(vmail.resolve("john/Maildir/new"), "Undelivered Mail Returned to Sender"),
                        m -> m != null);
                assertThat(bounce).contains("Return-Path: <>", "multipart/report", "report-type=delivery-status",
                        "Final-Recipient: rfc822; nobody@refusing.example", "Action: failed", "Status: 5.1.1",
                        "User unknown", "Subject: to nobody");
                assertThat(Files.readString(server.log)).doesNotContain(" ERROR ", " WARN ")
                        .contains("status=deferred (4.3.0", "status=bounced (5.1.1", "sender non-delivery notification");
            }
        }
    }

    /** The content of a message in the directory that contains the text, or null. */
    private static String newest(Path maildirNew, String text) throws Exception {
        if (!Files.isDirectory(maildirNew)) {
            return null;
        }
        try (Stream<Path> files = Files.list(maildirNew)) {
            for (Path f : files.toList()) {
                String content = Files.readString(f, StandardCharsets.ISO_8859_1);
                if (content.contains(text)) {
                    return content;
                }
            }
        }
        return null;
    }
}

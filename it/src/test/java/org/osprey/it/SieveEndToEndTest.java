package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.delivery.remote.TestSmtpServer;

/**
 * Sieve end to end against the built server: sieve-connect (Debian) uploads and activates a script over
 * ManageSieve with STARTTLS; an SMTP delivery matching a rule lands in the folder the rule names, which an IMAP
 * client (Python's imaplib) then sees; the shipped global rule files mail the spam score flagged into Junk (GTUBE,
 * scored 6 here so it is flagged but not refused; the X-Spam-Flag the sender forged is not what counts); a vacation
 * reply goes out once per sender (to a test SMTP server the outside domain is routed to), and never to a list.
 */
class SieveEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void uploadedRulesFileMailTheGlobalRuleFilesSpamAndVacationRepliesOncePerSender() throws Exception {
        try (TestSmtpServer outside = TestSmtpServer.start()) {
            int smtp = ServerProcess.freePort();
            int imaps = ServerProcess.freePort();
            int sieve = ServerProcess.freePort();
            String config = """
                    data_dir = "data"
                    hostname = "mail.example.org"
                    [listen]
                    smtp = ["127.0.0.1:%d"]
                    submission = []
                    submissions = []
                    imap = []
                    imaps = ["127.0.0.1:%d"]
                    pop3 = []
                    pop3s = []
                    managesieve = ["127.0.0.1:%d"]
                    web = []
                    [delivery.routes]
                    "outside.example" = "127.0.0.1:%d"
                    [filter.spam.scores]
                    GTUBE = 6.0
                    """.formatted(smtp, imaps, sieve, outside.port());
            try (ServerProcess server = new ServerProcess(dir, smtp, config)) {
                Cli cli = new Cli(server.config);
                assertThat(cli.run("domain", "add", "example.org").status()).isZero();
                assertThat(cli.runWithInput("john-secret\n", "user", "add", "john@example.org", "--password-stdin")
                        .status()).isZero();
                server.start();

                Path script = dir.resolve("rules.sieve");
                Files.writeString(script, """
                        require ["fileinto", "mailbox", "vacation"];
                        if header :contains "Subject" "[osprey-list]" {
                            fileinto :create "Lists";
                            stop;
                        }
                        if header :contains "Subject" "holiday" {
                            vacation :days 1 :subject "Away" "I am away until Monday.";
                        }
                        """);
                String upload = sieveConnect(sieve, "--upload", "--localsieve", script.toString(),
                        "--remotesieve", "rules");
                assertThat(sieveConnect(sieve, "--activate", "--remotesieve", "rules")).doesNotContain("NO");
                assertThat(sieveConnect(sieve, "--list")).as(upload).contains("rules");

                try (var client = new SimpleSmtpClient("127.0.0.1", smtp)) {
                    client.send("list@lists.example", "john@example.org",
                            "Subject: [osprey-list] release notes\r\nMessage-ID: <l1@lists.example>\r\n\r\nnews\r\n");
                    client.send("spammer@outside.example", "john@example.org",
                            "Subject: cheap\r\nX-Spam-Flag: YES\r\n\r\nbuy\r\n"
                                    + "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\r\n");
                    for (int i = 0; i < 2; i++) {
                        client.send("bob@outside.example", "john@example.org", "From: Bob <bob@outside.example>\r\n"
                                + "To: john@example.org\r\nSubject: holiday plans " + i + "\r\nMessage-ID: <h" + i
                                + "@outside.example>\r\n\r\nwhere are you?\r\n");
                    }
                    client.send("list@lists.example", "john@example.org", "From: list@lists.example\r\n"
                            + "To: john@example.org\r\nSubject: holiday digest\r\nList-Id: <digest.lists.example>\r\n"
                            + "\r\nnot for vacation replies\r\n");
                }

                Path maildir = dir.resolve("data/vmail/example.org/john/Maildir");
                await().atMost(Duration.ofSeconds(20)).until(() -> count(maildir.resolve(".Lists")) == 1);
                await().atMost(Duration.ofSeconds(20)).until(() -> count(maildir.resolve(".Junk")) == 1);
                await().atMost(Duration.ofSeconds(20)).until(() -> count(maildir) == 3);

                String lists = PythonScript.run(Duration.ofSeconds(30), "imap_folder_count.py", String.valueOf(imaps),
                        "john@example.org", "john-secret", "Lists");
                assertThat(lists).contains("Lists", "count: 1");

                await().atMost(Duration.ofSeconds(20)).until(() -> !outside.messages.isEmpty());
                Thread.sleep(1500);
                assertThat(outside.messages).as("one reply per sender, none to the list").hasSize(1);
                TestSmtpServer.Received reply = outside.messages.getFirst();
                assertThat(reply.rcptTo()).containsExactly("bob@outside.example");
                assertThat(reply.text()).contains("Subject: Away", "Auto-Submitted: auto-replied",
                        "In-Reply-To: <h0@outside.example>", "I am away until Monday.");

                assertThat(sieveConnect(sieve, "--deactivate")).doesNotContain("NO ");
                assertThat(sieveConnect(sieve, "--delete", "--remotesieve", "rules")).doesNotContain("NO ");
                assertThat(sieveConnect(sieve, "--list")).doesNotContain("rules");
                assertThat(Files.readString(server.log)).doesNotContain(" ERROR ");
            }
        }
    }

    private static long count(Path folder) throws Exception {
        long n = 0;
        for (String sub : List.of("new", "cur")) {
            Path d = folder.resolve(sub);
            if (Files.isDirectory(d)) {
                try (Stream<Path> files = Files.list(d)) {
                    n += files.count();
                }
            }
        }
        return n;
    }

    /** Runs sieve-connect as john over STARTTLS (any certificate), the password on stdin; returns its output. */
    private String sieveConnect(int port, String... action) throws Exception {
        List<String> command = new ArrayList<>(List.of("sieve-connect", "--server", "127.0.0.1", "--port",
                String.valueOf(port), "--user", "john@example.org", "--passwordfd", "0", "--notlsverify",
                "--authmech", "PLAIN"));
        command.addAll(List.of(action));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().write("john-secret\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("sieve-connect %s: %s", command, output).isZero();
        return output;
    }
}

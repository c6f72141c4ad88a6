package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.config.ConfigLoader;
import org.osprey.core.config.Service;
import org.osprey.server.OspreyServer;

/**
 * The README's first steps, with the real tools: swaks (Debian) sends to the running server, the message lands as a
 * file in Maildir/new, and Dovecot's own doveadm reads that Maildir: folders, subscriptions, message and size.
 */
class SwaksToDovecotTest {
    @TempDir
    Path dir;

    @Test
    void swaksMailLandsInMaildirAndDovecotReadsIt() throws Exception {
        Path config = dir.resolve("osprey.toml");
        Files.writeString(config, TestConfigs.smtpOnly("127.0.0.1:0", ""));
        var cli = new Cli(config);
        assertThat(cli.run("domain", "add", "example.org").status()).isZero();
        assertThat(cli.runWithInput("secret\n", "user", "add", "john@example.org", "--password-stdin").status())
                .isZero();
        try (OspreyServer server = OspreyServer.start(ConfigLoader.load(config))) {
            int port = server.listener(Service.SMTP).orElseThrow().boundAddress().getPort();
            String swaks = run(List.of("swaks", "--server", "127.0.0.1:" + port, "--to", "john@example.org",
                    "--from", "someone@example.net", "--header", "Subject: hello from swaks", "--pipeline"));
            assertThat(swaks).contains("250 2.0.0 Ok: queued as");
            String tls = run(List.of("swaks", "--server", "127.0.0.1:" + port, "--to", "john+news@example.org",
                    "--from", "someone@example.net", "--header", "Subject: over tls", "-tls"));
            assertThat(tls).contains("250 2.0.0 Ok: queued as");

            Path newDir = dir.resolve("data/vmail/example.org/john/Maildir/new");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.isDirectory(newDir)
                    && Files.list(newDir).count() == 2);
            String all = String.join("\n", Files.list(newDir).map(SwaksToDovecotTest::read).toList());
            assertThat(all).contains("Subject: hello from swaks").contains("Subject: over tls")
                    .contains("Delivered-To: john@example.org").contains("using TLSv1.3 with cipher");
        }

        // Dovecot refuses to run as root: read a copy owned by nobody, in a directory nobody may enter.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path copy = dir.resolve("dovecot-copy");
        run(List.of("cp", "-r", dir.resolve("data/vmail/example.org/john").toString(), copy.toString()));
        run(List.of("chown", "-R", "65534:65534", copy.toString()));
        Path dovecotConf = dir.resolve("dovecot.conf");
        Files.writeString(dovecotConf, """
                mail_location = maildir:%s/Maildir
                mail_uid = 65534
                mail_gid = 65534
                first_valid_uid = 0
                first_valid_gid = 0
                ssl = no
                base_dir = %s/dovecot-run
                log_path = %s/dovecot.log
                """.formatted(copy, dir, dir));
        List<String> doveadm = List.of("doveadm", "-c", dovecotConf.toString());
        assertThat(run(concat(doveadm, "mailbox", "list")).lines().toList())
                .containsExactlyInAnyOrder("INBOX", "Drafts", "Sent", "Junk", "Trash");
        assertThat(run(concat(doveadm, "mailbox", "list", "-s")).lines().toList())
                .containsExactlyInAnyOrder("Drafts", "Sent", "Junk", "Trash");
        assertThat(run(concat(doveadm, "fetch", "hdr.subject", "mailbox", "INBOX", "all")))
                .contains("hello from swaks").contains("over tls");
        assertThat(run(concat(doveadm, "mailbox", "status", "-t", "messages", "INBOX")).strip())
                .isEqualTo("messages=2");
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs a tool from Debian; a missing tool fails the test with its name (CI installs them: see .ci/run). */
    private String run(List<String> command) throws Exception {
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HOME", dir.resolve("dovecot-copy").toString());
        builder.environment().put("USER", "john");
        Process p;
        try {
            p = builder.start();
        } catch (IOException e) {
            throw new AssertionError(command.getFirst() + " is needed for this test: apt-get install swaks"
                    + " dovecot-core", e);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s printed:%n%s", command, out).isZero();
        return out;
    }
}

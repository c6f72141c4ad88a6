package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.filter.clamav.ClamdProcess;

/**
 * Virus scanning in the SMTP dialogue against a real clamd (Debian's clamav-daemon, started here with a test
 * signature for the EICAR string): EICAR in an attachment is refused at the end of DATA with 554 and the
 * signature's name, a clean message is delivered, and with clamd gone the sender is told to retry (451).
 */
class VirusScanTest {
    @TempDir
    Path dir;

    @Test
    void eicarIsRefusedWithItsNameCleanMailArrivesAndAStoppedScannerMeansTryAgain() throws Exception {
        ClamdProcess clamd = ClamdProcess.start(Files.createDirectories(dir.resolve("clamd")));
        try {
            int smtp = ServerProcess.freePort();
            String config = TestConfigs.smtpOnly("127.0.0.1:" + smtp, """
                    [filter.clamav]
                    address = "unix:%s"
                    """.formatted(clamd.socket));
            try (ServerProcess server = new ServerProcess(dir, smtp, config)) {
                Cli cli = new Cli(server.config);
                assertThat(cli.run("domain", "add", "example.org").status()).isZero();
                assertThat(cli.runWithInput("pw\n", "user", "add", "john@example.org", "--password-stdin")
                        .status()).isZero();
                server.start();
                String attachment = Base64.getMimeEncoder().encodeToString(
                        ClamdProcess.EICAR.getBytes(StandardCharsets.US_ASCII));
                String infected = "Subject: invoice\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                        + "see attachment\r\n--b\r\nContent-Type: application/octet-stream\r\n"
                        + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=x.com\r\n\r\n"
                        + attachment + "\r\n--b--\r\n";
                try (var client = new SimpleSmtpClient("127.0.0.1", smtp)) {
                    String refused = client.send("someone@example.net", "john@example.org", infected);
                    assertThat(refused).startsWith("554 5.7.1").contains(ClamdProcess.SIGNATURE);
                    String clean = client.send("someone@example.net", "john@example.org",
                            "Subject: clean\r\n\r\nnothing here\r\n");
                    assertThat(clean).startsWith("250");
                }
                Path inbox = dir.resolve("data/vmail/example.org/john/Maildir/new");
                await().atMost(Duration.ofSeconds(15)).until(() -> Files.isDirectory(inbox) && count(inbox) == 1);
                try (Stream<Path> files = Files.list(inbox)) {
                    assertThat(Files.readString(files.findFirst().orElseThrow())).contains("X-Virus-Scanned: clamav");
                }

                clamd.close();
                try (var client = new SimpleSmtpClient("127.0.0.1", smtp)) {
                    String later = client.send("someone@example.net", "john@example.org",
                            "Subject: while the scanner is down\r\n\r\nhello\r\n");
                    assertThat(later).startsWith("451 4.7.1");
                }
                assertThat(count(inbox)).as("nothing unscanned got in").isEqualTo(1);
            }
        } finally {
            clamd.close();
        }
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}

package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.filter.dkim.Dkimpy;
import org.osprey.filter.dns.TestDnsServer;

/**
 * SPF, DKIM and DMARC on the MX port, end to end: the built server asks a DNS server on loopback for the sender's
 * records. A message whose From domain publishes DMARC p=reject, sent from an address its SPF does not allow and
 * without a valid DKIM signature, is refused at the end of DATA with 550 5.7.1; the same domain's message signed by
 * dkimpy with its published key is delivered, with an Authentication-Results field showing dkim=pass and
 * dmarc=pass; a forgery of a p=quarantine domain is delivered into Junk by its spam score. The loopback client is
 * trusted by default (the greylist whitelist), so this config trusts nobody.
 */
class SenderAuthenticationTest {
    @TempDir
    Path dir;

    @Test
    void aDmarcRejectForgeryIsRefusedAndTheSignedMessageArrivesWithItsResults() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.txt("origin.example", "v=spf1 ip4:192.0.2.0/24 -all");
            dns.txt("_dmarc.origin.example", "v=DMARC1; p=reject");
            dns.txt("careful.example", "v=spf1 ip4:192.0.2.0/24 -all");
            dns.txt("_dmarc.careful.example", "v=DMARC1; p=quarantine");
            Dkimpy.Key key = Dkimpy.rsa("origin.example", "mail").publish(dns);
            int smtp = ServerProcess.freePort();
            String config = TestConfigs.smtpOnly("127.0.0.1:" + smtp, """
                    [filter]
                    resolver = "%s"
                    [filter.greylist]
                    enabled = false
                    whitelist = []
                    """.formatted(dns.address()));
            try (ServerProcess server = new ServerProcess(dir, smtp, config)) {
                Cli cli = new Cli(server.config);
                assertThat(cli.run("domain", "add", "example.org").status()).isZero();
                assertThat(cli.runWithInput("pw\n", "user", "add", "john@example.org", "--password-stdin")
                        .status()).isZero();
                server.start();
                String message = "From: Alice <alice@origin.example>\r\nTo: john@example.org\r\n"
                        + "Subject: the invoice\r\nDate: Sat, 05 Dec 2026 01:00:00 +0000\r\n"
                        + "Message-ID: <e2e-1@origin.example>\r\n"
                        + "Authentication-Results: mx.example.org; dkim=pass header.d=origin.example\r\n"
                        + "\r\nPlease pay.\r\n";
                byte[] signed = Dkimpy.sign(dir.resolve("dkimpy"), message.getBytes(StandardCharsets.UTF_8), key,
                        "relaxed/relaxed", false);
                try (var client = new SimpleSmtpClient("127.0.0.1", smtp)) {
                    String forged = client.send("alice@origin.example", "john@example.org", message);
                    assertThat(forged).startsWith("550 5.7.1").contains("DMARC").contains("origin.example");
                    String tampered = client.send("alice@origin.example", "john@example.org",
                            new String(signed, StandardCharsets.UTF_8).replace("Please pay.", "Please pay me."));
                    assertThat(tampered).as("a signature that no longer verifies").startsWith("550 5.7.1");
                    String genuine = client.send("alice@origin.example", "john@example.org",
                            new String(signed, StandardCharsets.UTF_8));
                    assertThat(genuine).startsWith("250");
                    String quarantined = client.send("bob@careful.example", "john@example.org",
                            "From: Bob <bob@careful.example>\r\nTo: john@example.org\r\nSubject: meeting\r\n"
                                    + "Date: Sat, 05 Dec 2026 01:00:00 +0000\r\n"
                                    + "Message-ID: <e2e-2@careful.example>\r\n\r\nSee you at ten.\r\n");
                    assertThat(quarantined).as("quarantine is not a refusal").startsWith("250");
                }
                Path inbox = dir.resolve("data/vmail/example.org/john/Maildir/new");
                Path junk = dir.resolve("data/vmail/example.org/john/Maildir/.Junk/new");
                await().atMost(Duration.ofSeconds(15)).until(() -> Files.isDirectory(inbox) && files(inbox).size() == 1
                        && Files.isDirectory(junk) && files(junk).size() == 1);
                String filed = Files.readString(files(junk).getFirst(), StandardCharsets.UTF_8);
                assertThat(filed).contains("dmarc=fail (p=quarantine").contains("X-Spam-Flag: YES")
                        .contains("DMARC_QUARANTINE").contains("See you at ten.");
                // Maildir files have LF line ends, the folded Authentication-Results field too
                String delivered = Files.readString(files(inbox).getFirst(), StandardCharsets.UTF_8);
                assertThat(delivered).doesNotContain("\r");
                String header = delivered.substring(0, delivered.indexOf("\n\n") + 1);
                assertThat(header).contains("Authentication-Results: mx.example.org;")
                        .containsPattern("dkim=pass header\\.d=origin\\.example")
                        .contains("dmarc=pass")
                        .contains("spf=fail smtp.mailfrom=alice@origin.example")
                        .contains("Received-SPF: fail");
                assertThat(header.split("Authentication-Results:", -1)).as("the forged field was removed")
                        .hasSize(2);
                assertThat(delivered).contains("Please pay.").doesNotContain("X-Spam-Flag: YES")
                        .contains("DKIM_VALID_AU").contains("DMARC_PASS");
            }
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}

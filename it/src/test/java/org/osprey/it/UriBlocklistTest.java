package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.filter.dns.TestDnsServer;

/**
 * URI block lists as the server wires them ([filter.dnsbl] uri_zones): a message linking to a listed domain gets
 * URIBL_HIT in its X-Spam-Status, one without such links does not; a malformed zone stops start-up naming the key.
 */
class UriBlocklistTest {
    @TempDir
    Path dir;

    @Test
    void aLinkToAListedDomainIsScored() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.a("bad-host.test.uribl.test", "127.0.1.2");
            int smtp = ServerProcess.freePort();
            // Nothing trusted, so that mail from this machine is checked; every lookup goes to the test server.
            String config = TestConfigs.smtpOnly("127.0.0.1:" + smtp, """
                    [filter]
                    resolver = "%s"
                    [filter.greylist]
                    enabled = false
                    whitelist = []
                    [filter.dnsbl]
                    resolver = "%s"
                    uri_zones = ["uribl.test"]
                    """.formatted(dns.address(), dns.address()));
            try (ServerProcess server = new ServerProcess(dir, smtp, config)) {
                Cli cli = new Cli(server.config);
                cli.addJohn();
                server.start();
                try (var client = new SimpleSmtpClient("127.0.0.1", smtp)) {
                    assertThat(client.send("offers@shop.test", "john@example.org", message(
                            "Great deals at https://click.bad-host.test/deal?id=7 this week"))).startsWith("250");
                    assertThat(client.send("friend@example.net", "john@example.org", message(
                            "The photos are at https://photos.good-host.test/album/1"))).startsWith("250");
                }
                Path inbox = dir.resolve("data/vmail/example.org/john/Maildir/new");
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.isDirectory(inbox) && files(inbox).size() == 2);
                List<String> delivered = files(inbox).stream().map(UriBlocklistTest::read).toList();
                assertThat(delivered).filteredOn(m -> m.contains("bad-host.test")).singleElement()
                        .satisfies(m -> assertThat(m).containsPattern("X-Spam-Status: \\w+, score=[^\\r\\n]*URIBL_HIT"));
                assertThat(delivered).filteredOn(m -> m.contains("good-host.test")).singleElement()
                        .satisfies(m -> assertThat(m).contains("X-Spam-Status: ").doesNotContain("URIBL_HIT"));
            }
        }
    }

    @Test
    void aMalformedZoneStopsStartUpNamingTheKey() throws Exception {
        try (ServerProcess server = new ServerProcess(dir, """
                [filter.dnsbl]
                uri_zones = ["not a zone"]
                """)) {
            assertThatThrownBy(server::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("server exited")
                    .hasMessageContaining("config: [filter.dnsbl] uri_zones");
        }
    }

    private static String message(String text) {
        return "From: someone@shop.test\r\nTo: john@example.org\r\nSubject: news\r\n"
                + "Date: Fri, 4 Dec 2026 12:00:00 +0000\r\nMessage-ID: <" + text.hashCode() + "@shop.test>\r\n\r\n"
                + text + "\r\n";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Path> files(Path folder) throws Exception {
        try (Stream<Path> list = Files.list(folder)) {
            return list.toList();
        }
    }
}

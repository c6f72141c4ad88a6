package org.osprey.filter.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.metrics.Metrics;
import org.osprey.filter.Findings;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.Verdict;

/** The rspamd client and check against a real rspamd on loopback; the last test stops rspamd. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RspamdTest {
    static final String FAILURES = "osprey_filter_external_failures_total{scanner=\"rspamd\"}";
    static final InetAddress CLIENT = address("192.0.2.1");
    /** A HELO name that does not resolve: rspamd's HFILTER_HELO_NORES_A_OR_MX shows it got the Helo header. */
    static final String HELO = "unresolvable.example.net";
    static final SmtpFacts FROM_INTERNET = new SmtpFacts(CLIENT, Optional.of(HELO), true, Optional.empty());

    @TempDir
    static Path dir;
    static RspamdProcess rspamd;

    @BeforeAll
    static void startRspamd() throws Exception {
        rspamd = RspamdProcess.start(dir);
        // The client has forward-confirmed reverse DNS; the sender's domain has a mail server.
        rspamd.dns.ptr("192.0.2.1", "mail.example.org").a("mail.example.org", "192.0.2.1")
                .mx("example.org", 10, "mail.example.org");
    }

    static ClientName clientName() {
        return new ClientName(org.osprey.filter.dns.Resolvers.server(rspamd.dns.address(), Duration.ofSeconds(2)),
                Duration.ofSeconds(5));
    }

    @AfterAll
    static void stopRspamd() throws Exception {
        if (rspamd != null) {
            rspamd.close();
        }
    }

    static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static RspamdClient client(String url) {
        return new RspamdClient(url, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    static long failures() {
        return Metrics.snapshot().getOrDefault(FAILURES, 0L);
    }

    static RspamdClient.Envelope envelope(List<String> recipients) {
        return new RspamdClient.Envelope(CLIENT, clientName().of(CLIENT), Optional.of(HELO), "alice@example.org",
                recipients, Optional.empty(), "mx.example.com");
    }

    @Test
    @Order(1)
    void gtubeIsRejectedByRspamd() throws Exception {
        byte[] gtube = Messages.gtube("gtube-1@example.org");

        RspamdReport report = client(rspamd.url()).check(() -> new ByteArrayInputStream(gtube),
                envelope(List.of("bob@example.com")));

        assertThat(report.action()).isEqualTo("reject");
        assertThat(report.score()).isGreaterThanOrEqualTo(report.required()).isGreaterThan(0);
        assertThat(report.symbols()).containsKey("GTUBE");
    }

    @Test
    @Order(2)
    void anOrdinaryMessageIsLeftAloneAndRspamdSeesTheSmtpFacts() throws Exception {
        byte[] plain = Messages.plain("plain-1@example.org");

        RspamdReport report = client(rspamd.url()).check(() -> new ByteArrayInputStream(plain),
                envelope(List.of("bob@example.com")));

        assertThat(report.action()).as(report.toString()).isEqualTo("no action");
        assertThat(report.score()).isLessThan(5.0);
        // Symbols rspamd can only give when it got our headers: From (envelope sender), Rcpt, Helo.
        assertThat(report.symbols()).containsKeys("FROM_EQ_ENVFROM", "TO_MATCH_ENVRCPT_ALL");
        assertThat(report.symbols()).containsKey("HFILTER_HELO_NORES_A_OR_MX");
        // Hostname: the client's verified name, so no penalty for missing reverse DNS.
        assertThat(report.symbols()).doesNotContainKeys("RDNS_NONE", "HFILTER_HOSTNAME_UNKNOWN");

        // Every Rcpt header counts: the To: address (bob) matches the second envelope recipient, and no other.
        RspamdReport second = client(rspamd.url()).check(() -> new ByteArrayInputStream(plain),
                envelope(List.of("carol@example.com", "bob@example.com")));
        assertThat(second.symbols()).containsKey("TO_MATCH_ENVRCPT_ALL");
        RspamdReport neither = client(rspamd.url()).check(() -> new ByteArrayInputStream(plain),
                envelope(List.of("carol@example.com", "dave@example.com")));
        assertThat(neither.symbols()).doesNotContainKeys("TO_MATCH_ENVRCPT_ALL", "TO_MATCH_ENVRCPT_SOME");
    }

    @Test
    @Order(3)
    void aClientWithoutReverseDnsIsToldAsSuch() throws Exception {
        InetAddress unnamed = address("192.0.2.2");
        assertThat(clientName().of(unnamed)).isEmpty();
        assertThat(clientName().of(CLIENT)).contains("mail.example.org");
        rspamd.dns.ptr("192.0.2.3", "forged.example.org"); // no A record back: not verified
        assertThat(clientName().of(address("192.0.2.3"))).isEmpty();

        RspamdReport report = client(rspamd.url()).check(
                () -> new ByteArrayInputStream(Messages.plain("unnamed@example.org")),
                new RspamdClient.Envelope(unnamed, clientName().of(unnamed), Optional.of(HELO), "alice@example.org",
                        List.of("bob@example.com"), Optional.empty(), "mx.example.com"));

        assertThat(report.symbols()).containsKeys("RDNS_NONE");
    }

    @Test
    @Order(4)
    void theCheckAddsRspamdsScoreAsAFindingAndAcceptsTheMessage() {
        var check = new RspamdCheck(client(rspamd.url()), "mx.example.com", clientName());
        var findings = new Findings();
        byte[] gtube = Messages.gtube("gtube-2@example.org");

        Verdict verdict = check.data(FROM_INTERNET, "alice@example.org", List.of("bob@example.com"),
                () -> new ByteArrayInputStream(gtube), findings);

        assertThat(verdict).isEqualTo(Verdict.ACCEPT);
        assertThat(findings.all()).singleElement().satisfies(finding -> {
            assertThat(finding.test()).isEqualTo("RSPAMD");
            assertThat(finding.score().orElseThrow()).isGreaterThanOrEqualTo(15.0);
            assertThat(finding.detail()).startsWith("rspamd: reject ").contains("GTUBE");
        });
    }

    @Test
    @Order(5)
    void authenticatedSubmissionsAreNotScanned() {
        var check = new RspamdCheck(client(rspamd.url()), "mx.example.com", clientName());
        var findings = new Findings();
        var user = new SmtpFacts(CLIENT, Optional.of("laptop"), true, Optional.of("bob"));

        assertThat(check.data(user, "bob@example.com", List.of("someone@example.net"),
                () -> new ByteArrayInputStream(Messages.gtube("submitted@example.com")), findings))
                .isEqualTo(Verdict.ACCEPT);
        assertThat(findings.all()).isEmpty();
        assertThat(rspamd.log()).doesNotContain("submitted@example.com");
    }

    @Test
    @Order(6)
    void whenRspamdIsGoneTheMessageGoesOnWithoutTheFindingAndTheFailureIsCounted() throws Exception {
        ClientName clientName = clientName();
        rspamd.close();
        long before = failures();
        var findings = new Findings();

        Verdict verdict = new RspamdCheck(client(rspamd.url()), "mx.example.com", clientName).data(FROM_INTERNET,
                "alice@example.org", List.of("bob@example.com"),
                () -> new ByteArrayInputStream(Messages.gtube("gone@example.org")), findings);

        assertThat(verdict).isEqualTo(Verdict.ACCEPT);
        assertThat(findings.all()).isEmpty();
        assertThat(failures()).isEqualTo(before + 1);
        assertThatThrownBy(() -> client(rspamd.url()).check(
                () -> new ByteArrayInputStream(Messages.plain("gone@example.org")),
                new RspamdClient.Envelope(CLIENT, Optional.empty(), Optional.of(HELO), "", List.of("bob@example.com"),
                        Optional.empty(), "mx.example.com")))
                .isInstanceOf(ScannerException.class)
                .hasMessageStartingWith("rspamd at " + rspamd.url() + ": cannot connect");
    }
}

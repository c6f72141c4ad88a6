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

/** The spamd client and check against a real spamd, over TCP and a Unix socket; the last test stops spamd. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpamdTest {
    static final String FAILURES = "osprey_filter_external_failures_total{scanner=\"spamd\"}";
    static final SmtpFacts FROM_INTERNET = new SmtpFacts(InetAddress.getLoopbackAddress(),
            Optional.of("mail.example.org"), true, Optional.empty());

    @TempDir
    static Path dir;
    static SpamdProcess spamd;

    @BeforeAll
    static void startSpamd() throws Exception {
        spamd = SpamdProcess.start(dir);
    }

    @AfterAll
    static void stopSpamd() throws Exception {
        if (spamd != null) {
            spamd.close();
        }
    }

    static SpamdClient client(String address) {
        return new SpamdClient(address, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    static long failures() {
        return Metrics.snapshot().getOrDefault(FAILURES, 0L);
    }

    @Test
    @Order(1)
    void gtubeOverTcpScoresAtLeastAThousandWithItsRuleNamed() throws Exception {
        SpamdReport report = client(spamd.tcpAddress()).check(Messages.gtube("gtube-1@example.org"), Optional.empty());

        assertThat(report.score()).isGreaterThanOrEqualTo(1000);
        assertThat(report.required()).isEqualTo(5.0);
        assertThat(report.spam()).isTrue();
        assertThat(report.symbols()).contains("GTUBE");
    }

    @Test
    @Order(2)
    void anOrdinaryMessageOverTheUnixSocketScoresLow() throws Exception {
        SpamdReport report = client(spamd.unixAddress()).check(Messages.plain("plain-1@example.org"),
                Optional.empty());

        assertThat(report.score()).isLessThan(report.required());
        assertThat(report.spam()).isFalse();
        assertThat(report.symbols()).doesNotContain("GTUBE");
    }

    @Test
    @Order(3)
    void theCheckAddsSpamdsScoreAsAFindingAndAcceptsTheMessage() {
        var check = new SpamdCheck(client(spamd.unixAddress()));
        var findings = new Findings();
        byte[] gtube = Messages.gtube("gtube-2@example.org");

        Verdict verdict = check.data(FROM_INTERNET, "alice@example.org", List.of("bob@example.com"),
                () -> new ByteArrayInputStream(gtube), findings);

        assertThat(verdict).isEqualTo(Verdict.ACCEPT);
        assertThat(findings.all()).singleElement().satisfies(finding -> {
            assertThat(finding.test()).isEqualTo("SPAMD");
            assertThat(finding.score().orElseThrow()).isGreaterThanOrEqualTo(1000);
            assertThat(finding.detail()).startsWith("spamd: 10").contains("/5.0 ").contains("GTUBE");
        });

        var plain = new Findings();
        check.data(FROM_INTERNET, "alice@example.org", List.of("bob@example.com"),
                () -> new ByteArrayInputStream(Messages.plain("plain-2@example.org")), plain);
        assertThat(plain.all()).singleElement().satisfies(finding ->
                assertThat(finding.score().orElseThrow()).isLessThan(5.0));
    }

    @Test
    @Order(4)
    void spamdIsToldTheUserOnlyWhenThereIsExactlyOneRecipient() {
        var check = new SpamdCheck(client(spamd.tcpAddress()));
        check.data(FROM_INTERNET, "alice@example.org", List.of("bob@example.com"),
                () -> new ByteArrayInputStream(Messages.plain("one-rcpt@example.org")), new Findings());
        check.data(FROM_INTERNET, "alice@example.org", List.of("bob@example.com", "carol@example.com"),
                () -> new ByteArrayInputStream(Messages.plain("two-rcpt@example.org")), new Findings());

        String log = spamd.log();
        assertThat(log).contains("checking message <one-rcpt@example.org> for bob@example.com:");
        assertThat(log).containsPattern("checking message <two-rcpt@example.org> for (?!bob@|carol@)");
    }

    @Test
    @Order(5)
    void authenticatedSubmissionsAreNotScanned() {
        var check = new SpamdCheck(client(spamd.tcpAddress()));
        var findings = new Findings();
        var user = new SmtpFacts(InetAddress.getLoopbackAddress(), Optional.of("laptop"), true, Optional.of("bob"));

        assertThat(check.data(user, "bob@example.com", List.of("someone@example.net"),
                () -> new ByteArrayInputStream(Messages.gtube("submitted@example.com")), findings))
                .isEqualTo(Verdict.ACCEPT);
        assertThat(findings.all()).isEmpty();
        assertThat(spamd.log()).doesNotContain("submitted@example.com");
    }

    @Test
    @Order(6)
    void aMessageOverTheSizeLimitIsNotSent() {
        byte[] gtube = Messages.gtube("too-big@example.org");
        var check = new SpamdCheck(client(spamd.tcpAddress()), gtube.length - 1);
        var findings = new Findings();
        long failuresBefore = failures();

        assertThat(check.data(FROM_INTERNET, "alice@example.org", List.of("bob@example.com"),
                () -> new ByteArrayInputStream(gtube), findings)).isEqualTo(Verdict.ACCEPT);
        assertThat(findings.all()).isEmpty();
        assertThat(spamd.log()).doesNotContain("too-big@example.org");
        assertThat(failures()).isEqualTo(failuresBefore);

        var exactly = new Findings();
        new SpamdCheck(client(spamd.tcpAddress()), gtube.length).data(FROM_INTERNET, "alice@example.org",
                List.of("bob@example.com"), () -> new ByteArrayInputStream(gtube), exactly);
        assertThat(exactly.has("SPAMD")).isTrue();
    }

    @Test
    @Order(7)
    void whenSpamdIsGoneTheMessageGoesOnWithoutTheFindingAndTheFailureIsCounted() throws Exception {
        spamd.close();
        long failuresBefore = failures();
        var findings = new Findings();

        for (String address : List.of(spamd.tcpAddress(), spamd.unixAddress())) {
            Verdict verdict = new SpamdCheck(client(address)).data(FROM_INTERNET, "alice@example.org",
                    List.of("bob@example.com"), () -> new ByteArrayInputStream(Messages.gtube("gone@example.org")),
                    findings);
            assertThat(verdict).isEqualTo(Verdict.ACCEPT);
            assertThatThrownBy(() -> client(address).check(Messages.plain("gone@example.org"), Optional.empty()))
                    .isInstanceOf(ScannerException.class)
                    .hasMessageStartingWith("spamd at " + address + ": cannot connect");
        }
        assertThat(findings.all()).isEmpty();
        assertThat(failures()).isEqualTo(failuresBefore + 2);
    }
}

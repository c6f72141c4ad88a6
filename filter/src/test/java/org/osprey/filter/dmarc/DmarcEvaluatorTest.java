package org.osprey.filter.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osprey.filter.dkim.DkimResult;
import org.osprey.filter.dmarc.DmarcRecord.Policy;
import org.osprey.filter.dmarc.DmarcResult.Code;
import org.osprey.filter.dns.TestDnsServer;
import org.osprey.filter.dns.TxtLookup;
import org.osprey.filter.spf.SpfResult;

/** DMARC against policy records served on loopback: alignment, subdomains, pct=, where the record is looked up. */
class DmarcEvaluatorTest {
    private TestDnsServer dns;

    @BeforeEach
    void start() throws Exception {
        dns = TestDnsServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        dns.close();
    }

    /** A "random" generator that always draws {@code value} in [0, 1), to decide pct= sampling in a test. */
    private static RandomGenerator draws(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    private DmarcEvaluator evaluator(double draw) {
        return new DmarcEvaluator(TxtLookup.of(Optional.of(dns.address()), Duration.ofSeconds(2)), draws(draw));
    }

    private static Optional<SpfResult> spf(SpfResult.Code code, String mailFrom) {
        return Optional.of(new SpfResult(code, "", InetAddress.ofLiteral("192.0.2.1"), mailFrom, "mailfrom",
                "mx.sender.example", Optional.empty()));
    }

    private static DkimResult dkim(DkimResult.Code code, String domain) {
        return new DkimResult(code, domain, "s", "rsa-sha256", "@" + domain, "abcdefgh", "", false);
    }

    @Test
    void anAlignedSpfPassOrDkimPassPassesAndRelaxedAlignmentAcceptsSubdomains() {
        dns.txt("_dmarc.origin.example", "v=DMARC1; p=reject");
        DmarcEvaluator dmarc = evaluator(0.5);
        assertThat(dmarc.evaluate("origin.example", spf(SpfResult.Code.PASS, "bounce@mail.origin.example"),
                List.of()).code()).isEqualTo(Code.PASS);
        assertThat(dmarc.evaluate("origin.example", Optional.empty(),
                List.of(dkim(DkimResult.Code.PASS, "dkim.origin.example"))).code()).isEqualTo(Code.PASS);
        DmarcResult unaligned = dmarc.evaluate("origin.example",
                spf(SpfResult.Code.PASS, "bounce@esp.example"),
                List.of(dkim(DkimResult.Code.PASS, "esp.example"), dkim(DkimResult.Code.FAIL, "origin.example")));
        assertThat(unaligned.code()).isEqualTo(Code.FAIL);
        assertThat(unaligned.policy()).isEqualTo(Policy.REJECT);
        assertThat(unaligned.disposition()).isEqualTo(Policy.REJECT);
        assertThat(dmarc.evaluate("origin.example", spf(SpfResult.Code.FAIL, "alice@origin.example"), List.of())
                .code()).as("SPF aligned but failed").isEqualTo(Code.FAIL);
    }

    @Test
    void strictAlignmentWantsTheSameName() {
        dns.txt("_dmarc.origin.example", "v=DMARC1; p=quarantine; adkim=s; aspf=s");
        DmarcEvaluator dmarc = evaluator(0.5);
        assertThat(dmarc.evaluate("origin.example", spf(SpfResult.Code.PASS, "bounce@mail.origin.example"),
                List.of(dkim(DkimResult.Code.PASS, "dkim.origin.example"))).code()).isEqualTo(Code.FAIL);
        assertThat(dmarc.evaluate("origin.example", spf(SpfResult.Code.PASS, "bounce@origin.example"),
                List.of()).code()).isEqualTo(Code.PASS);
        assertThat(dmarc.evaluate("origin.example", Optional.empty(),
                List.of(dkim(DkimResult.Code.PASS, "origin.example"))).code()).isEqualTo(Code.PASS);
    }

    @Test
    void aSubdomainWithoutItsOwnRecordGetsTheOrganizationsSpPolicy() {
        dns.txt("_dmarc.origin.example", "v=DMARC1; p=reject; sp=quarantine");
        dns.txt("_dmarc.own.origin.example", "v=DMARC1; p=none");
        DmarcEvaluator dmarc = evaluator(0.5);
        int before = dns.udpQueries();
        DmarcResult sub = dmarc.evaluate("news.origin.example", Optional.empty(), List.of());
        assertThat(dns.udpQueries() - before).as("the From domain, then the organizational domain").isEqualTo(2);
        assertThat(sub.code()).isEqualTo(Code.FAIL);
        assertThat(sub.policy()).isEqualTo(Policy.QUARANTINE);
        assertThat(dmarc.evaluate("origin.example", Optional.empty(), List.of()).policy())
                .isEqualTo(Policy.REJECT);
        assertThat(dmarc.evaluate("own.origin.example", Optional.empty(), List.of()).policy())
                .as("a subdomain with its own record takes its p=").isEqualTo(Policy.NONE);
        dns.txt("_dmarc.other.example", "v=DMARC1; p=reject");
        assertThat(dmarc.evaluate("deep.sub.other.example", Optional.empty(), List.of()).policy())
                .as("no sp=: p= applies to subdomains too").isEqualTo(Policy.REJECT);
    }

    @Test
    void pctSamplesWhichFailuresGetThePolicyTheRestGetTheNextMilderOne() {
        dns.txt("_dmarc.origin.example", "v=DMARC1; p=reject; pct=30");
        dns.txt("_dmarc.quiet.example", "v=DMARC1; p=quarantine; pct=0");
        assertThat(evaluator(0.29).evaluate("origin.example", Optional.empty(), List.of()).disposition())
                .isEqualTo(Policy.REJECT);
        DmarcResult sampledOut = evaluator(0.30).evaluate("origin.example", Optional.empty(), List.of());
        assertThat(sampledOut.disposition()).isEqualTo(Policy.QUARANTINE);
        assertThat(sampledOut.sampledOut()).isTrue();
        assertThat(evaluator(0.0).evaluate("quiet.example", Optional.empty(), List.of()).disposition())
                .isEqualTo(Policy.NONE);
    }

    @Test
    void noRecordSeveralRecordsABrokenRecordAndDnsTrouble() {
        DmarcEvaluator dmarc = evaluator(0.5);
        assertThat(dmarc.evaluate("nothing.example", Optional.empty(), List.of()).code()).isEqualTo(Code.NONE);
        dns.txt("_dmarc.twice.example", "v=DMARC1; p=reject");
        dns.txt("_dmarc.twice.example", "v=DMARC1; p=none");
        assertThat(dmarc.evaluate("twice.example", Optional.empty(), List.of()).code()).isEqualTo(Code.NONE);
        dns.txt("_dmarc.broken.example", "v=DMARC1; p=maybe");
        dns.txt("_dmarc.broken.example", "google-site-verification=abc");
        assertThat(dmarc.evaluate("broken.example", Optional.empty(), List.of()).code()).isEqualTo(Code.NONE);
        dns.servfail("_dmarc.down.example");
        assertThat(dmarc.evaluate("down.example", Optional.empty(), List.of()).code()).isEqualTo(Code.TEMPERROR);
    }

    @Test
    void aTemporaryErrorOfAnAlignedCheckIsNoFail() {
        dns.txt("_dmarc.origin.example", "v=DMARC1; p=reject");
        DmarcEvaluator dmarc = evaluator(0.5);
        assertThat(dmarc.evaluate("origin.example", Optional.empty(),
                List.of(dkim(DkimResult.Code.TEMPERROR, "origin.example"))).code()).isEqualTo(Code.TEMPERROR);
        assertThat(dmarc.evaluate("origin.example", spf(SpfResult.Code.TEMPERROR, "a@origin.example"),
                List.of()).code()).isEqualTo(Code.TEMPERROR);
        assertThat(dmarc.evaluate("origin.example", Optional.empty(),
                List.of(dkim(DkimResult.Code.TEMPERROR, "elsewhere.example"))).code())
                .as("an unaligned signature could not have passed DMARC").isEqualTo(Code.FAIL);
    }

    @Test
    void theOrganizationalDomainComesFromThePublicSuffixList() {
        assertThat(OrganizationalDomain.of("mail.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(OrganizationalDomain.of("a.b.example.com.")).isEqualTo("example.com");
        assertThat(OrganizationalDomain.of("Example.COM")).isEqualTo("example.com");
        assertThat(OrganizationalDomain.of("user.github.io")).as("private section").isEqualTo("user.github.io");
        assertThat(OrganizationalDomain.of("x.y.origin.example")).as("no listed suffix: the last two labels")
                .isEqualTo("origin.example");
        assertThat(OrganizationalDomain.of("co.uk")).isEqualTo("co.uk");
        assertThat(OrganizationalDomain.aligned("a.example.co.uk", "b.example.co.uk", false)).isTrue();
        assertThat(OrganizationalDomain.aligned("a.example.co.uk", "other.co.uk", false)).isFalse();
    }

    @Test
    void recordsAreRecognizedAndParsed() {
        assertThat(DmarcRecord.isDmarc("v=DMARC1; p=none")).isTrue();
        assertThat(DmarcRecord.isDmarc("v=DMARC1")).isTrue();
        assertThat(DmarcRecord.isDmarc("v=spf1 -all")).isFalse();
        assertThat(DmarcRecord.isDmarc("p=reject; v=DMARC1")).isFalse();
        DmarcRecord r = DmarcRecord.parse(
                "v=DMARC1;p=quarantine; sp=reject ; adkim=s; pct=250; rua=mailto:a@b.example");
        assertThat(r.policy()).isEqualTo(Policy.QUARANTINE);
        assertThat(r.subdomainPolicy()).contains(Policy.REJECT);
        assertThat(r.strictDkim()).isTrue();
        assertThat(r.strictSpf()).isFalse();
        assertThat(r.percent()).isEqualTo(100);
        assertThatThrownBy(() -> DmarcRecord.parse("v=DMARC1; sp=reject")).hasMessageContaining("p=");
    }

    @Test
    void authorDomainsAreReadPastDisplayNamesAndComments() {
        assertThat(AuthorDomains.of(List.of("\"Bank <support@bank.example>\" <phish@evil.example>")))
                .containsExactly("evil.example");
        assertThat(AuthorDomains.of(List.of("alice@Origin.Example (not bob@other.example)")))
                .containsExactly("origin.example");
        assertThat(AuthorDomains.of(List.of("a@one.example, B <b@two.example>", "c@one.example")))
                .containsExactly("one.example", "two.example");
        assertThat(AuthorDomains.of(List.of("friends: a@one.example, b@two.example;")))
                .containsExactly("one.example", "two.example");
        assertThat(AuthorDomains.of(List.of("undisclosed", "<@[192.0.2.1]>", "x@[192.0.2.1]"))).isEmpty();
        assertThat(AuthorDomains.of(List.of("Bücher <info@bücher.example>")))
                .as("a UTF-8 From under its A-label").containsExactly("xn--bcher-kva.example");
    }
}

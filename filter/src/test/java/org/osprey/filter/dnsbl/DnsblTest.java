package org.osprey.filter.dnsbl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.Verdict;
import org.osprey.filter.dns.TestDnsServer;

/** The DNSBL check against a test zone served by a real DNS server on loopback. */
class DnsblTest {
    static final String V6_LISTED = "2001:db8::5";
    static final String V6_QUERY = "5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2";

    static final String REASON = "Listed for spam, see https://bl.test/192.0.2.2";

    TestDnsServer dns;

    @BeforeEach
    void setUp() throws IOException {
        dns = TestDnsServer.start();
        dns.a("2.2.0.192.bl.test", "127.0.0.2").txt("2.2.0.192.bl.test", REASON);
        dns.a(V6_QUERY + ".bl.test", "127.0.0.3").txt(V6_QUERY + ".bl.test", "IPv6 spam source");
        dns.a("6.2.0.192.bl.test", "127.0.0.2"); // listed without a TXT reason
        dns.a("9.2.0.192.bl.test", "127.255.255.254"); // Spamhaus: query through a public resolver
        dns.a("8.2.0.192.bl.test", "192.0.2.200"); // a hijacking resolver's wildcard
        dns.a("3.2.0.192.multi.test", "127.0.0.3").txt("3.2.0.192.multi.test", "policy list");
        dns.a("4.2.0.192.multi.test", "127.0.0.11", "127.0.0.4").txt("4.2.0.192.multi.test", "exploited host");
        dns.a("7.2.0.192.bl.test", "127.0.0.2").txt("7.2.0.192.bl.test", "evil\r\n250 forged");
        dns.silent("2.2.0.192.slow.test");
        dns.servfail("2.2.0.192.broken.test");
    }

    @AfterEach
    void tearDown() throws IOException {
        dns.close();
    }

    Dnsbl dnsbl(String... zones) {
        return new Dnsbl(settings(zones));
    }

    Dnsbl.Settings settings(String... zones) {
        return Dnsbl.Settings.defaults().withZones(zones).withResolver(dns.address())
            .withTimeout(Duration.ofMillis(500));
    }

    static SmtpFacts client(String address) {
        return new SmtpFacts(InetAddress.ofLiteral(address), Optional.empty(), false, Optional.empty());
    }

    @Test
    void listedIpv4ClientIsRejectedWithZoneAndTxt() {
        assertThat(dnsbl("bl.test").connect(client("192.0.2.2"))).isEqualTo(new Verdict.Reject(554, "5.7.1",
            "Service unavailable; client [192.0.2.2] blocked using bl.test; " + REASON));
    }

    @Test
    void listedIpv6ClientIsRejectedByNibbleQuery() {
        assertThat(dnsbl("bl.test").connect(client(V6_LISTED))).isEqualTo(new Verdict.Reject(554, "5.7.1",
            "Service unavailable; client [2001:db8::5] blocked using bl.test; IPv6 spam source"));
    }

    @Test
    void listingWithoutTxtHasNoReason() {
        assertThat(dnsbl("bl.test").connect(client("192.0.2.6"))).isEqualTo(new Verdict.Reject(554, "5.7.1",
            "Service unavailable; client [192.0.2.6] blocked using bl.test"));
    }

    @Test
    void unlistedClientIsAccepted() {
        assertThat(dnsbl("bl.test").connect(client("192.0.2.1"))).isEqualTo(Verdict.ACCEPT);
        assertThat(dnsbl("bl.test").connect(client("2001:db8::6"))).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void zoneWithExpectedAnswerCountsOnlyThatAnswer() {
        Dnsbl check = dnsbl("multi.test=127.0.0.4");
        assertThat(check.connect(client("192.0.2.3"))).isEqualTo(Verdict.ACCEPT);
        assertThat(check.connect(client("192.0.2.4"))).isEqualTo(new Verdict.Reject(554, "5.7.1",
            "Service unavailable; client [192.0.2.4] blocked using multi.test; exploited host"));
    }

    @Test
    void refusedQueryAnswerIsNotAListing() {
        assertThat(dnsbl("bl.test").connect(client("192.0.2.9"))).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void answerOutsideLoopbackIsNotAListing() {
        assertThat(dnsbl("bl.test").connect(client("192.0.2.8"))).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void dnsTimeoutAcceptsWithinTheTimeout() {
        Dnsbl check = dnsbl("slow.test");
        long start = System.nanoTime();
        assertThat(check.connect(client("192.0.2.2"))).isEqualTo(Verdict.ACCEPT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void servfailAccepts() {
        assertThat(dnsbl("broken.test").connect(client("192.0.2.2"))).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void slowZoneDoesNotHideTheListingOfAnother() {
        var verdict = dnsbl("slow.test", "clean.test", "bl.test").connect(client("192.0.2.2"));
        assertThat(verdict).isInstanceOfSatisfying(Verdict.Reject.class,
            r -> assertThat(r.text()).contains("blocked using bl.test;"));
    }

    @Test
    void twoZonesOneListingRejectsNamingThatZone() {
        Dnsbl check = dnsbl("clean.test", "bl.test");
        assertThat(check.connect(client("192.0.2.2"))).isEqualTo(new Verdict.Reject(554, "5.7.1",
            "Service unavailable; client [192.0.2.2] blocked using bl.test; " + REASON));
        assertThat(check.connect(client("192.0.2.1"))).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void zonesAreQueriedConcurrently() {
        // three silent zones of 500 ms each would take 1.5 s one after another
        dns.silent("2.2.0.192.slow2.test").silent("2.2.0.192.slow3.test");
        long start = System.nanoTime();
        assertThat(dnsbl("slow.test", "slow2.test", "slow3.test").connect(client("192.0.2.2")))
            .isEqualTo(Verdict.ACCEPT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1200));
    }

    @Test
    void weightsAreSummedAgainstTheThreshold() {
        dns.a("3.2.0.192.bl.test", "127.0.0.2");
        Dnsbl check = new Dnsbl(settings("bl.test*2", "multi.test*1").withThreshold(3));
        assertThat(check.connect(client("192.0.2.2"))).isEqualTo(Verdict.ACCEPT); // bl.test only: 2
        assertThat(check.connect(client("192.0.2.3"))).isInstanceOfSatisfying(Verdict.Reject.class,
            r -> assertThat(r.text()).contains("blocked using bl.test"));
        Dnsbl allowList = new Dnsbl(settings("bl.test", "multi.test*-5"));
        assertThat(allowList.connect(client("192.0.2.3"))).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void authenticatedClientIsNotLookedUp() {
        var facts = new SmtpFacts(InetAddress.ofLiteral("192.0.2.2"), Optional.of("mx.example"), true,
            Optional.of("alice@example.org"));
        assertThat(dnsbl("bl.test").connect(facts)).isEqualTo(Verdict.ACCEPT);
        assertThat(dns.udpQueries()).isZero();
    }

    @Test
    void whitelistedNetworksAreNotLookedUp() {
        dns.a("1.0.0.127.bl.test", "127.0.0.2").a("5.1.168.192.bl.test", "127.0.0.2");
        assertThat(dnsbl("bl.test").connect(client("127.0.0.1"))).isEqualTo(Verdict.ACCEPT);
        assertThat(dnsbl("bl.test").connect(client("192.168.1.5"))).isEqualTo(Verdict.ACCEPT);
        assertThat(dns.udpQueries()).isZero();
        Dnsbl custom = new Dnsbl(settings("bl.test").withWhitelist("192.0.2.0/28"));
        assertThat(custom.connect(client("192.0.2.2"))).isEqualTo(Verdict.ACCEPT);
        assertThat(custom.connect(client("192.168.1.5"))).isInstanceOf(Verdict.Reject.class);
    }

    @Test
    void answersAreCached() {
        Dnsbl check = dnsbl("bl.test");
        check.connect(client("192.0.2.2"));
        check.connect(client("192.0.2.1"));
        int queries = dns.udpQueries();
        assertThat(check.connect(client("192.0.2.2"))).isInstanceOf(Verdict.Reject.class);
        assertThat(check.connect(client("192.0.2.1"))).isEqualTo(Verdict.ACCEPT);
        assertThat(dns.udpQueries()).isEqualTo(queries);
    }

    @Test
    void txtWithLineBreakCannotForgeAReplyLine() {
        var verdict = dnsbl("bl.test").connect(client("192.0.2.7"));
        assertThat(verdict).isInstanceOfSatisfying(Verdict.Reject.class,
            r -> assertThat(r.text()).doesNotContain("\r", "\n").endsWith("; evil??250 forged"));
    }

    @Test
    void rcptStageChecksAtRcptNotConnect() {
        Dnsbl check = new Dnsbl(settings("bl.test").withStage(Dnsbl.Stage.RCPT));
        assertThat(check.connect(client("192.0.2.2"))).isEqualTo(Verdict.ACCEPT);
        assertThat(check.rcpt(client("192.0.2.2"), "a@example.com", "b@example.org"))
            .isInstanceOf(Verdict.Reject.class);
    }

    @Test
    void configuredReplyCodeAndText() {
        Dnsbl check = new Dnsbl(settings("bl.test").withReply(450, "Try later, [{client}] is on {zone}{reason}"));
        assertThat(check.connect(client("192.0.2.6")))
            .isEqualTo(new Verdict.TempFail(450, "4.7.1", "Try later, [192.0.2.6] is on bl.test"));
    }

    @Test
    void noZonesByDefaultAskNothing() {
        Dnsbl check = new Dnsbl(Dnsbl.Settings.defaults());
        assertThat(check.zones()).isEmpty();
        assertThat(check.connect(client("192.0.2.2"))).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void badSettingsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new Dnsbl(Dnsbl.Settings.defaults().withZones("bl.test").withResolver("dns.test:53")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dns.test:53");
        assertThatThrownBy(() -> new Dnsbl(Dnsbl.Settings.defaults().withWhitelist("10.0.0.0/33")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> Dnsbl.Settings.defaults().withReply(250, "ok"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void queryNamesFollowRfc5782() {
        assertThat(Dnsbl.queryName(InetAddress.ofLiteral("192.0.2.99"), "bl.test")).isEqualTo("99.2.0.192.bl.test.");
        // RFC 5782 §2.4's example
        assertThat(Dnsbl.queryName(InetAddress.ofLiteral("2001:db8:1:2:3:4:567:89ab"), "ugly.example.com"))
            .isEqualTo("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ugly.example.com.");
    }

    @Test
    void ipv6IsShownInShortForm() {
        assertThat(Dnsbl.show(InetAddress.ofLiteral("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Dnsbl.show(InetAddress.ofLiteral("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Dnsbl.show(InetAddress.ofLiteral("::1"))).isEqualTo("::1");
        assertThat(Dnsbl.show(InetAddress.ofLiteral("fe80::"))).isEqualTo("fe80::");
    }
}

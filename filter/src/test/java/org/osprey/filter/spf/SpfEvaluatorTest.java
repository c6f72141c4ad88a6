package org.osprey.filter.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osprey.filter.dns.TestDnsServer;
import org.osprey.filter.spf.SpfResult.Code;

/** check_host() against a real DNS server on 127.0.0.1 (RFC 7208 §4, §5, §6). */
class SpfEvaluatorTest {
    private static final InetAddress GOOD = InetAddress.ofLiteral("192.0.2.10");
    private static final InetAddress BAD = InetAddress.ofLiteral("198.51.100.7");
    private static final InetAddress GOOD6 = InetAddress.ofLiteral("2001:db8::10");

    private TestDnsServer dns;
    private SpfEvaluator spf;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.start();
        spf = new SpfEvaluator(Optional.of(dns.address()), Duration.ofMillis(700), "mx.osprey.test");
    }

    @AfterEach
    void stop() throws IOException {
        dns.close();
    }

    private Code check(InetAddress client, String record) {
        dns.txt("example.com", record);
        return spf.check(client, "user@example.com", "client.example.net").code();
    }

    @Test
    void noRecordIsNone() {
        dns.txt("example.com", "some other text");
        assertThat(spf.check(GOOD, "user@example.com", "h.example.net").code()).isEqualTo(Code.NONE);
        assertThat(spf.check(GOOD, "user@nowhere.example", "h.example.net").code()).isEqualTo(Code.NONE);
    }

    @Test
    void recordMustStartWithVersionThenSpaceOrEnd() {
        dns.txt("a.example", "v=spf10 -all");
        dns.txt("b.example", "V=SPF1 -all");
        dns.txt("c.example", "v=spf1");
        assertThat(spf.check(GOOD, "u@a.example", "h.example").code()).isEqualTo(Code.NONE);
        assertThat(spf.check(GOOD, "u@b.example", "h.example").code()).isEqualTo(Code.FAIL);
        assertThat(spf.check(GOOD, "u@c.example", "h.example").code()).isEqualTo(Code.NEUTRAL);
    }

    @Test
    void recordSplitOverSeveralStringsIsJoined() {
        dns.txtStrings("example.com", "v=spf1 ip4:192.0.2.0", "/24 -all");
        assertThat(spf.check(GOOD, "user@example.com", "h.example").code()).isEqualTo(Code.PASS);
    }

    @Test
    void allWithEachQualifier() {
        for (var c : new Object[][] {{"all", Code.PASS}, {"+all", Code.PASS}, {"-all", Code.FAIL},
            {"~all", Code.SOFTFAIL}, {"?all", Code.NEUTRAL}}) {
            String domain = "q" + c[0].hashCode() + ".example";
            dns.txt(domain, "v=spf1 " + c[0]);
            assertThat(spf.check(GOOD, "user@" + domain, "h.example").code()).as((String) c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void ip4AndIp6() {
        dns.txt("example.com", "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/64 -all");
        assertThat(spf.check(GOOD, "u@example.com", "h.example").code()).isEqualTo(Code.PASS);
        assertThat(spf.check(GOOD6, "u@example.com", "h.example").code()).isEqualTo(Code.PASS);
        assertThat(spf.check(BAD, "u@example.com", "h.example").code()).isEqualTo(Code.FAIL);
        assertThat(spf.check(InetAddress.ofLiteral("2001:db8:1::1"), "u@example.com", "h.example").code())
            .isEqualTo(Code.FAIL);
    }

    @Test
    void ipv4MappedIpv6ClientIsCheckedAsIpv4() throws Exception {
        dns.txt("example.com", "v=spf1 ip4:192.0.2.10 -all");
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(GOOD.getAddress(), 0, mapped, 12, 4);
        InetAddress client = java.net.Inet6Address.getByAddress(null, mapped, -1);
        SpfResult result = spf.check(client, "u@example.com", "h.example");
        assertThat(result.code()).isEqualTo(Code.PASS);
        assertThat(result.client()).isEqualTo(GOOD);
    }

    @Test
    void aMechanismWithDomainAndDualCidr() {
        dns.a("example.com", "192.0.2.10");
        dns.a("other.example", "192.0.2.200");
        dns.aaaa("other.example", "2001:db8::1");
        dns.txt("example.com", "v=spf1 a a:other.example/28//64 -all");
        assertThat(spf.check(GOOD, "u@example.com", "h.example").code()).isEqualTo(Code.PASS);
        assertThat(spf.check(InetAddress.ofLiteral("192.0.2.201"), "u@example.com", "h.example").code())
            .isEqualTo(Code.PASS);
        assertThat(spf.check(GOOD6, "u@example.com", "h.example").code()).isEqualTo(Code.PASS);
        assertThat(spf.check(InetAddress.ofLiteral("192.0.2.180"), "u@example.com", "h.example").code())
            .isEqualTo(Code.FAIL);
    }

    @Test
    void mxMechanism() {
        dns.mx("example.com", 10, "mx1.example.com").mx("example.com", 20, "mx2.example.com");
        dns.a("mx1.example.com", "203.0.113.1").a("mx2.example.com", "192.0.2.10");
        dns.txt("example.com", "v=spf1 mx -all");
        assertThat(spf.check(GOOD, "u@example.com", "h.example").code()).isEqualTo(Code.PASS);
        SpfResult fail = spf.check(BAD, "u@example.com", "h.example");
        assertThat(fail.code()).isEqualTo(Code.FAIL);
        assertThat(fail.mechanism()).contains("-all");
    }

    @Test
    void mxWithMoreThanTenHostsIsPermerror() {
        for (int i = 0; i < 11; i++) {
            dns.mx("example.com", i, "mx" + i + ".example.com").a("mx" + i + ".example.com", "203.0.113." + i);
        }
        assertThat(check(GOOD, "v=spf1 mx -all")).isEqualTo(Code.PERMERROR);
    }

    @Test
    void ptrMechanismNeedsForwardConfirmation() {
        dns.ptr("192.0.2.10", "mail.example.com").a("mail.example.com", "192.0.2.10");
        dns.ptr("198.51.100.7", "liar.example.com").a("liar.example.com", "203.0.113.9");
        dns.txt("example.com", "v=spf1 ptr -all");
        assertThat(spf.check(GOOD, "u@example.com", "h.example").code()).isEqualTo(Code.PASS);
        assertThat(spf.check(BAD, "u@example.com", "h.example").code()).isEqualTo(Code.FAIL);
    }

    @Test
    void existsMechanismWithMacros() {
        dns.a("10.2.0.192.user.ok.example.com", "127.0.0.2");
        dns.txt("example.com", "v=spf1 exists:%{ir}.%{l}.ok.%{d} -all");
        assertThat(spf.check(GOOD, "user@example.com", "h.example").code()).isEqualTo(Code.PASS);
        assertThat(spf.check(GOOD, "other@example.com", "h.example").code()).isEqualTo(Code.FAIL);
    }

    @Test
    void includePassFailAndMissing() {
        dns.txt("example.com", "v=spf1 include:_spf.provider.example -all");
        dns.txt("_spf.provider.example", "v=spf1 ip4:192.0.2.0/24 -all");
        assertThat(spf.check(GOOD, "u@example.com", "h.example").code()).isEqualTo(Code.PASS);
        // the included record's -all only means "no match": evaluation goes on to our -all
        dns.txt("soft.example", "v=spf1 include:_spf.provider.example ~all");
        assertThat(spf.check(BAD, "u@soft.example", "h.example").code()).isEqualTo(Code.SOFTFAIL);
        dns.txt("broken.example", "v=spf1 include:missing.example ~all");
        assertThat(spf.check(GOOD, "u@broken.example", "h.example").code()).isEqualTo(Code.PERMERROR);
    }

    @Test
    void includeOfTemperrorIsTemperror() {
        dns.txt("example.com", "v=spf1 include:down.example -all");
        dns.servfail("down.example");
        assertThat(spf.check(GOOD, "u@example.com", "h.example").code()).isEqualTo(Code.TEMPERROR);
    }

    @Test
    void redirectAndItsExplanation() {
        dns.txt("example.com", "v=spf1 redirect=_spf.example.net exp=our.example.com");
        dns.txt("_spf.example.net", "v=spf1 ip4:192.0.2.10 -all exp=exp.example.net");
        dns.txt("exp.example.net", "%{i} is not allowed to send for %{o}");
        dns.txt("our.example.com", "wrong explanation");
        assertThat(spf.check(GOOD, "u@example.com", "h.example").code()).isEqualTo(Code.PASS);
        SpfResult fail = spf.check(BAD, "u@example.com", "h.example");
        assertThat(fail.code()).isEqualTo(Code.FAIL);
        assertThat(fail.explanation()).isEqualTo("198.51.100.7 is not allowed to send for example.com");
    }

    @Test
    void redirectIgnoredAfterAllAndPermerrorWithoutTarget() {
        dns.txt("example.com", "v=spf1 -all redirect=nowhere.example");
        assertThat(spf.check(GOOD, "u@example.com", "h.example").code()).isEqualTo(Code.FAIL);
        dns.txt("other.example", "v=spf1 redirect=nowhere.example");
        assertThat(spf.check(GOOD, "u@other.example", "h.example").code()).isEqualTo(Code.PERMERROR);
    }

    @Test
    void explanationFromExpOnFail() {
        dns.txt("example.com", "v=spf1 -all exp=explain.example.com");
        dns.txt("explain.example.com", "See http://%{d}/why.html?s=%{S}&i=%{c}");
        SpfResult result = spf.check(BAD, "u@example.com", "h.example");
        assertThat(result.explanation())
            .isEqualTo("See http://example.com/why.html?s=u%40example.com&i=198.51.100.7");
    }

    @Test
    void eleventhDnsTermIsPermerror() {
        var record = new StringBuilder("v=spf1");
        for (int i = 0; i < 10; i++) {
            dns.a("h" + i + ".example.com", "203.0.113." + i);
            record.append(" a:h").append(i).append(".example.com");
        }
        dns.txt("ten.example", record + " -all");
        assertThat(spf.check(BAD, "u@ten.example", "h.example").code()).isEqualTo(Code.FAIL);
        dns.a("h10.example.com", "203.0.113.10");
        dns.txt("eleven.example", record + " a:h10.example.com -all");
        SpfResult result = spf.check(BAD, "u@eleven.example", "h.example");
        assertThat(result.code()).isEqualTo(Code.PERMERROR);
        assertThat(result.explanation()).contains("DNS-querying terms");
    }

    @Test
    void includeLoopStopsAtTheLimit() {
        dns.txt("example.com", "v=spf1 include:example.com -all");
        assertThat(spf.check(GOOD, "u@example.com", "h.example").code()).isEqualTo(Code.PERMERROR);
    }

    @Test
    void ip4AndAllDoNotCountAsLookups() {
        var record = new StringBuilder("v=spf1");
        for (int i = 0; i < 20; i++) {
            record.append(" ip4:203.0.113.").append(i);
        }
        String text = record + " ip4:192.0.2.10 -all";
        dns.txtStrings("example.com", text.substring(0, 200), text.substring(200)); // one string holds 255 at most
        assertThat(spf.check(GOOD, "u@example.com", "h.example").code()).isEqualTo(Code.PASS);
    }

    @Test
    void thirdVoidLookupIsPermerror() {
        dns.txt("two.example", "v=spf1 a:n1.example.com a:n2.example.com -all");
        assertThat(spf.check(GOOD, "u@two.example", "h.example").code()).isEqualTo(Code.FAIL);
        dns.exists("n3.example.com");
        dns.txt("three.example", "v=spf1 a:n1.example.com a:n2.example.com a:n3.example.com -all");
        assertThat(spf.check(GOOD, "u@three.example", "h.example").code()).isEqualTo(Code.PERMERROR);
    }

    @Test
    void twoSpfRecordsArePermerror() {
        dns.txt("example.com", "v=spf1 +all").txt("example.com", "v=spf1 -all").txt("example.com", "other");
        assertThat(spf.check(GOOD, "u@example.com", "h.example").code()).isEqualTo(Code.PERMERROR);
    }

    @Test
    void syntaxErrorsArePermerrorEvenAfterAMatch() {
        for (String record : new String[] {"v=spf1 +all foo:bar", "v=spf1 ip4:192.0.2.300", "v=spf1 ip4:192.0.2.0/33",
            "v=spf1 a:example.com/33", "v=spf1 all:x", "v=spf1 include", "v=spf1 redirect=a.example redirect=b.example",
            "v=spf1 exists:%{q}.example.com", "v=spf1 a:foo", "v=spf1 ip6:192.0.2.1", "v=spf1 -"}) {
            dns.txt(record.hashCode() + ".example", record);
            assertThat(spf.check(GOOD, "u@" + record.hashCode() + ".example", "h.example").code())
                .as(record).isEqualTo(Code.PERMERROR);
        }
    }

    @Test
    void unknownModifiersAreIgnored() {
        assertThat(check(GOOD, "v=spf1 moo=cow.%{d} ip4:192.0.2.10 -all")).isEqualTo(Code.PASS);
    }

    @Test
    void dnsFailureIsTemperror() {
        dns.servfail("example.com");
        assertThat(spf.check(GOOD, "u@example.com", "h.example").code()).isEqualTo(Code.TEMPERROR);
    }

    @Test
    void dnsTimeoutIsTemperror() {
        dns.txt("example.com", "v=spf1 a:slow.example.com -all");
        dns.silent("slow.example.com");
        long start = System.nanoTime();
        SpfResult result = spf.check(GOOD, "u@example.com", "h.example");
        assertThat(result.code()).isEqualTo(Code.TEMPERROR);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void emptyMailFromChecksPostmasterAtHelo() {
        dns.txt("client.example.net", "v=spf1 ip4:192.0.2.10 -all");
        SpfResult result = spf.check(GOOD, "", "client.example.net");
        assertThat(result.code()).isEqualTo(Code.PASS);
        assertThat(result.sender()).isEqualTo("postmaster@client.example.net");
        assertThat(result.identity()).isEqualTo("helo");
        assertThat(spf.check(BAD, "<>", "client.example.net").code()).isEqualTo(Code.FAIL);
    }

    @Test
    void senderDomainThatIsNotADomainIsNone() {
        assertThat(spf.check(GOOD, "", "[192.0.2.10]").code()).isEqualTo(Code.NONE);
        assertThat(spf.check(GOOD, "user@localhost", "h.example").code()).isEqualTo(Code.NONE);
        assertThat(spf.check(GOOD, "user@a..example", "h.example").code()).isEqualTo(Code.NONE);
    }

    @Test
    void headersForAPass() {
        dns.txt("example.com", "v=spf1 ip4:192.0.2.10 -all");
        SpfResult result = spf.check(GOOD, "user@example.com", "client.example.net");
        assertThat(result.receivedSpf("mx.osprey.test")).isEqualTo("Received-SPF: pass (mx.osprey.test: domain of"
            + " user@example.com designates 192.0.2.10 as permitted sender) client-ip=192.0.2.10;"
            + " envelope-from=\"user@example.com\"; helo=client.example.net; mechanism=\"ip4:192.0.2.10\";"
            + " receiver=mx.osprey.test; identity=mailfrom;");
        assertThat(result.authenticationResults()).isEqualTo("spf=pass smtp.mailfrom=user@example.com");
    }

    @Test
    void hostileHeloCannotBreakTheHeader() {
        SpfResult result = spf.check(GOOD6, "", "evil\r\nX-Injected: yes");
        assertThat(result.receivedSpf("mx.osprey.test")).doesNotContain("\r").doesNotContain("\n")
            .contains("client-ip=2001:db8::10;").contains("identity=helo;");
        assertThat(result.authenticationResults()).startsWith("spf=none smtp.helo=\"evil??X-Injected: yes\"");
    }

    @Test
    void errorsCarryTheProblem() {
        dns.servfail("example.com");
        String header = spf.check(GOOD, "u@example.com", "h.example").receivedSpf("mx.osprey.test");
        assertThat(header).startsWith("Received-SPF: temperror (").contains(" problem=\"DNS TXT lookup of");
    }
}

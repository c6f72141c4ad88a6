package org.osprey.delivery.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osprey.delivery.remote.MxResolver.AddressOrder;
import org.osprey.delivery.remote.MxResolver.Resolution;
import org.osprey.filter.dns.TestDnsServer;

/** The resolver against a real DNS server on loopback. */
class MxResolverTest {
    TestDnsServer dns;
    MxResolver resolver;

    @BeforeEach
    void setUp() throws IOException {
        dns = TestDnsServer.start();
        resolver = MxResolver.using(dns.address(), Duration.ofMillis(500), AddressOrder.IPV4_FIRST);
    }

    @AfterEach
    void tearDown() throws IOException {
        dns.close();
    }

    @Test
    void mxHostsComeInPreferenceOrderWithTheirAddresses() {
        dns.mx("example.test", 30, "c.example.test").mx("example.test", 10, "a.example.test")
            .mx("example.test", 20, "b.example.test")
            .a("a.example.test", "192.0.2.1").aaaa("a.example.test", "2001:db8::1")
            .a("b.example.test", "192.0.2.2", "192.0.2.3").a("c.example.test", "192.0.2.4");
        assertThat(peers(resolver.resolveMx("example.test", 25))).containsExactly(
            "a.example.test[192.0.2.1]:25", "a.example.test[2001:db8::1]:25",
            "b.example.test[192.0.2.2]:25", "b.example.test[192.0.2.3]:25", "c.example.test[192.0.2.4]:25");
    }

    @Test
    void equalPreferencesAreShuffled() {
        dns.mx("example.test", 10, "a.example.test").mx("example.test", 10, "b.example.test")
            .mx("example.test", 5, "first.example.test")
            .a("a.example.test", "192.0.2.1").a("b.example.test", "192.0.2.2").a("first.example.test", "192.0.2.9");
        Set<String> seconds = new HashSet<>();
        for (int i = 0; i < 40 && seconds.size() < 2; i++) {
            List<String> peers = peers(resolver.resolveMx("example.test", 25));
            assertThat(peers.getFirst()).isEqualTo("first.example.test[192.0.2.9]:25");
            seconds.add(peers.get(1));
        }
        assertThat(seconds).hasSize(2);
    }

    @Test
    void addressOrderChoosesFamilies() {
        dns.mx("example.test", 10, "a.example.test").a("a.example.test", "192.0.2.1")
            .aaaa("a.example.test", "2001:db8::1");
        String v4 = "a.example.test[192.0.2.1]:25";
        String v6 = "a.example.test[2001:db8::1]:25";
        assertThat(peers(using(AddressOrder.IPV6_FIRST).resolveMx("example.test", 25))).containsExactly(v6, v4);
        assertThat(peers(using(AddressOrder.IPV4_ONLY).resolveMx("example.test", 25))).containsExactly(v4);
        assertThat(peers(using(AddressOrder.IPV6_ONLY).resolveMx("example.test", 25))).containsExactly(v6);
    }

    @Test
    void withoutMxTheDomainItselfIsTheHost() {
        dns.a("plain.test", "192.0.2.7");
        assertThat(peers(resolver.resolveMx("plain.test", 2525))).containsExactly("plain.test[192.0.2.7]:2525");
    }

    @Test
    void nullMxIsPermanent() {
        dns.nullMx("nomail.test").a("nomail.test", "192.0.2.1");
        assertThat(resolver.resolveMx("nomail.test", 25)).isEqualTo(new Resolution.Failure(true,
            "5.1.10 domain nomail.test does not accept mail (null MX)"));
    }

    @Test
    void nxdomainIsPermanent() {
        Resolution r = resolver.resolveMx("nowhere.test", 25);
        assertThat(r).isInstanceOf(Resolution.Failure.class);
        assertThat(((Resolution.Failure) r).permanent()).isTrue();
        assertThat(((Resolution.Failure) r).reason()).startsWith("5.1.2 ").contains("nowhere.test");
    }

    @Test
    void aDomainWithNeitherMxNorAddressIsPermanent() {
        dns.exists("empty.test");
        Resolution.Failure failure = (Resolution.Failure) resolver.resolveMx("empty.test", 25);
        assertThat(failure.permanent()).isTrue();
        assertThat(failure.reason()).startsWith("5.4.4 ");
    }

    @Test
    void servfailAndTimeoutsAreTemporary() {
        dns.servfail("broken.test").silent("slow.test");
        Resolution.Failure servfail = (Resolution.Failure) resolver.resolveMx("broken.test", 25);
        assertThat(servfail.permanent()).isFalse();
        assertThat(servfail.reason()).startsWith("4.4.3 ").contains("SERVFAIL");
        Resolution.Failure timeout = (Resolution.Failure) resolver.resolveMx("slow.test", 25);
        assertThat(timeout.permanent()).isFalse();
        assertThat(timeout.reason()).startsWith("4.4.3 DNS lookup of slow.test MX failed");
    }

    @Test
    void anMxHostWhoseLookupFailsIsSkippedButOnlyFailuresMakeItTemporary() {
        dns.mx("example.test", 10, "broken.example.test").mx("example.test", 20, "ok.example.test")
            .servfail("broken.example.test").a("ok.example.test", "192.0.2.2");
        assertThat(peers(resolver.resolveMx("example.test", 25))).containsExactly("ok.example.test[192.0.2.2]:25");

        dns.mx("other.test", 10, "broken.example.test").mx("other.test", 20, "missing.example.test");
        Resolution.Failure failure = (Resolution.Failure) resolver.resolveMx("other.test", 25);
        assertThat(failure.permanent()).isFalse();
        assertThat(failure.reason()).startsWith("4.4.3 ").contains("broken.example.test");

        dns.mx("gone.test", 10, "missing.example.test");
        assertThat(((Resolution.Failure) resolver.resolveMx("gone.test", 25)).reason()).startsWith("5.4.4 ");
    }

    @Test
    void aTruncatedAnswerIsAskedAgainOverTcp() {
        String[] many = new String[120];
        for (int i = 0; i < many.length; i++) {
            many[i] = "10.0." + (i / 200) + "." + (i % 200 + 1);
        }
        dns.mx("big.test", 10, "mx.big.test").a("mx.big.test", many);
        assertThat(peers(resolver.resolveMx("big.test", 25))).hasSize(120);
        assertThat(dns.tcpQueries()).isPositive();
    }

    @Test
    void idnDomainsAndLiteralsAndRouteHosts() {
        dns.mx("xn--bcher-kva.test", 10, "mx.xn--bcher-kva.test").a("mx.xn--bcher-kva.test", "192.0.2.5");
        assertThat(peers(resolver.resolveMx("Bücher.test", 25))).containsExactly(
            "mx.xn--bcher-kva.test[192.0.2.5]:25");
        assertThat(peers(resolver.resolveMx("[192.0.2.8]", 25))).containsExactly("192.0.2.8[192.0.2.8]:25");
        assertThat(peers(resolver.resolveMx("[IPv6:2001:db8::8]", 25))).containsExactly(
            "2001:db8::8[2001:db8::8]:25");
        assertThat(((Resolution.Failure) resolver.resolveMx("[300.1.1.1]", 25)).reason()).startsWith("5.1.2 ");

        dns.mx("relay.test", 10, "elsewhere.test").a("relay.test", "192.0.2.6");
        // a route's host is never looked up for MX records
        assertThat(peers(resolver.resolveHost("relay.test", 587))).containsExactly("relay.test[192.0.2.6]:587");
        assertThat(peers(resolver.resolveHost("127.0.0.1", 2526))).containsExactly("127.0.0.1[127.0.0.1]:2526");
        Resolution.Failure missing = (Resolution.Failure) resolver.resolveHost("nowhere.test", 25);
        assertThat(missing.permanent()).as("a broken route waits to be fixed").isFalse();
    }

    @Test
    void theServerAddressIsChecked() {
        assertThatThrownBy(() -> MxResolver.using("dns.example:53", Duration.ofSeconds(1), AddressOrder.IPV4_FIRST))
            .hasMessageContaining("give an IP address");
        assertThat(MxResolver.using("[::1]:5353", Duration.ofSeconds(1), AddressOrder.IPV4_FIRST)).isNotNull();
        assertThat(MxResolver.using("192.0.2.53", Duration.ofSeconds(1), AddressOrder.IPV4_FIRST)).isNotNull();
    }

    private MxResolver using(AddressOrder order) {
        return MxResolver.using(dns.address(), Duration.ofMillis(500), order);
    }

    private static List<String> peers(Resolution resolution) {
        assertThat(resolution).isInstanceOf(Resolution.Found.class);
        return ((Resolution.Found) resolution).peers().stream().map(Peer::toString).toList();
    }
}

package org.osprey.filter.spam.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osprey.filter.Findings;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.dns.Resolvers;
import org.osprey.filter.dns.TestDnsServer;
import org.osprey.filter.greylist.Cidr;

class UriblCheckTest {
    private static final SmtpFacts STRANGER =
        new SmtpFacts(InetAddress.ofLiteral("203.0.113.5"), Optional.of("mail.example.org"), false, Optional.empty());

    private TestDnsServer dns;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.start();
    }

    @AfterEach
    void stop() throws IOException {
        dns.close();
    }

    private UriblCheck check(String... zones) {
        return new UriblCheck(List.of(zones), Resolvers.server(dns.address(), Duration.ofMillis(400)),
            Duration.ofSeconds(2), Cidr.parseAll(List.of("127.0.0.0/8")));
    }

    private static List<Findings.Finding> run(UriblCheck check, SmtpFacts facts, String body) {
        byte[] message = TestMail.mail(body).getBytes(StandardCharsets.UTF_8);
        Findings findings = new Findings();
        check.data(facts, "a@example.org", List.of("b@example.net"), () -> new ByteArrayInputStream(message),
            findings);
        return findings.all();
    }

    private static final String BODY = "Cheap offer at https://click.bad-host.test/x?id=1 and see https://good.test/\n";

    @Test
    void aListedLinkDomainIsAHit() {
        dns.a("bad-host.test.uribl.test", "127.0.1.2");
        List<Findings.Finding> found = run(check("uribl.test"), STRANGER, BODY);
        assertThat(found).extracting(Findings.Finding::test).containsExactly("URIBL_HIT");
        assertThat(found.getFirst().detail()).isEqualTo("bad-host.test in uribl.test");
        assertThat(RuleSet.defaultScores()).containsKey("URIBL_HIT");
    }

    @Test
    void unlistedRefusedAndFailedLookupsAreNoHits() {
        assertThat(run(check("uribl.test"), STRANGER, BODY)).isEmpty(); // NXDOMAIN
        dns.a("bad-host.test.refusing.test", "127.0.0.1");
        dns.a("bad-host.test.errors.test", "127.255.255.254");
        dns.a("bad-host.test.wildcard.test", "192.0.2.1");
        dns.servfail("bad-host.test.broken.test");
        assertThat(run(check("refusing.test", "errors.test", "wildcard.test", "broken.test"), STRANGER, BODY))
            .isEmpty();
        assertThat(dns.udpQueries()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void anExpectedAnswerMustMatch() {
        dns.a("bad-host.test.multi.test", "127.0.0.4");
        assertThat(run(check("multi.test=127.0.0.2"), STRANGER, BODY)).isEmpty();
        assertThat(run(check("multi.test=127.0.0.4"), STRANGER, BODY)).extracting(Findings.Finding::test)
            .containsExactly("URIBL_HIT");
    }

    @Test
    void authenticatedTrustedAndUnconfiguredAreNotLookedUp() {
        dns.a("bad-host.test.uribl.test", "127.0.1.2");
        SmtpFacts user = new SmtpFacts(InetAddress.ofLiteral("203.0.113.5"), Optional.empty(), true,
            Optional.of("alice@example.org"));
        SmtpFacts local = new SmtpFacts(InetAddress.ofLiteral("127.0.0.1"), Optional.empty(), false,
            Optional.empty());
        assertThat(run(check("uribl.test"), user, BODY)).isEmpty();
        assertThat(run(check("uribl.test"), local, BODY)).isEmpty();
        assertThat(run(check(), STRANGER, BODY)).isEmpty();
        assertThat(dns.udpQueries() + dns.tcpQueries()).isZero();
    }

    @Test
    void aMalformedZoneIsRefused() {
        assertThatThrownBy(() -> check("not a zone")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not a zone");
    }
}

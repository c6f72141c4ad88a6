package org.osprey.filter.spam.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osprey.filter.Findings;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.Verdict;
import org.osprey.filter.dns.Resolvers;
import org.osprey.filter.dns.TestDnsServer;
import org.osprey.filter.greylist.Cidr;

class ClientChecksTest {
    private static final String CLIENT = "203.0.113.5";

    private TestDnsServer dns;
    private ClientChecks checks;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.start();
        checks = new ClientChecks(Resolvers.server(dns.address(), Duration.ofMillis(400)), Duration.ofSeconds(2),
            Cidr.parseAll(List.of("127.0.0.0/8", "::1/128")), TestMail.US);
    }

    @AfterEach
    void stop() throws IOException {
        dns.close();
    }

    private Set<String> check(String client, String helo) {
        return check(new SmtpFacts(InetAddress.ofLiteral(client), Optional.of(helo), true, Optional.empty()));
    }

    private Set<String> check(SmtpFacts facts) {
        Findings findings = new Findings();
        Verdict verdict = checks.data(facts, "a@example.org", List.of("b@example.net"),
            () -> new ByteArrayInputStream(new byte[0]), findings);
        assertThat(verdict).isEqualTo(Verdict.ACCEPT);
        Set<String> names = new TreeSet<>();
        findings.all().forEach(f -> names.add(f.test()));
        assertThat(RuleSet.defaultScores().keySet()).containsAll(names);
        return names;
    }

    @Test
    void aMailServerWithConfirmedReverseDnsAndItsNameInHelo() {
        dns.ptr(CLIENT, "mail.example.org").a("mail.example.org", CLIENT);
        assertThat(check(CLIENT, "mail.example.org")).isEmpty();
    }

    @Test
    void noReverseDns() {
        assertThat(check(CLIENT, "mail.example.org")).containsExactly("RDNS_NONE");
    }

    @Test
    void reverseDnsThatDoesNotLeadBack() {
        dns.ptr(CLIENT, "mail.example.org").a("mail.example.org", "198.51.100.99");
        assertThat(check(CLIENT, "mail.example.org")).containsExactly("RDNS_NOT_CONFIRMED");
        dns.ptr("203.0.113.6", "gone.example.org");
        assertThat(check("203.0.113.6", "mail.example.org")).containsExactly("RDNS_NOT_CONFIRMED");
    }

    @Test
    void dialUpStyleNames() {
        dns.ptr(CLIENT, "host-203-0-113-5.dsl.isp.test").a("host-203-0-113-5.dsl.isp.test", CLIENT);
        assertThat(check(CLIENT, "host-203-0-113-5.dsl.isp.test")).containsExactly("HELO_DYNAMIC", "RDNS_DYNAMIC");
        dns.ptr("203.0.113.7", "cpe-0a1b.pool.isp.test").a("cpe-0a1b.pool.isp.test", "203.0.113.7");
        assertThat(check("203.0.113.7", "cpe-0a1b.pool.isp.test")).containsExactly("HELO_DYNAMIC", "RDNS_DYNAMIC");
        // a generic name that says static or mail is a server's
        dns.ptr("203.0.113.8", "203-0-113-8.static.isp.test").a("203-0-113-8.static.isp.test", "203.0.113.8");
        assertThat(check("203.0.113.8", "203-0-113-8.static.isp.test")).isEmpty();
        dns.ptr("203.0.113.9", "mail-203-0-113-9.isp.test").a("mail-203-0-113-9.isp.test", "203.0.113.9");
        assertThat(check("203.0.113.9", "mail-203-0-113-9.isp.test")).isEmpty();
    }

    @Test
    void heloNames() {
        dns.ptr(CLIENT, "mail.example.org").a("mail.example.org", CLIENT);
        assertThat(check(CLIENT, CLIENT)).containsExactly("HELO_BARE_IP");
        assertThat(check(CLIENT, "[" + CLIENT + "]")).isEmpty();
        assertThat(check(CLIENT, "[198.51.100.1]")).containsExactly("HELO_IP_MISMATCH");
        assertThat(check(CLIENT, "[192.168.1.5]")).isEmpty(); // behind NAT
        assertThat(check(CLIENT, "MX.osprey.test")).containsExactly("HELO_OURS");
        assertThat(check(CLIENT, "localhost.localdomain")).containsExactly("HELO_LOCALHOST");
        assertThat(check(CLIENT, "DESKTOP-4F2K9")).containsExactly("HELO_NO_DOT");
    }

    @Test
    void ipv6ClientConfirmedByAaaa() {
        dns.ptr("2001:db8::25", "mx6.example.org").aaaa("mx6.example.org", "2001:db8::25");
        assertThat(check("2001:db8::25", "mx6.example.org")).isEmpty();
        assertThat(check("2001:db8::26", "mx6.example.org")).containsExactly("RDNS_NONE");
    }

    @Test
    void aFailingOrSilentResolverFindsNothing() {
        dns.servfail("5.113.0.203.in-addr.arpa");
        assertThat(check(CLIENT, "mail.example.org")).isEmpty();
        dns.silent("6.113.0.203.in-addr.arpa");
        long start = System.nanoTime();
        assertThat(check("203.0.113.6", "mail.example.org")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void theBudgetBoundsTheWait() {
        ClientChecks slow = new ClientChecks(Resolvers.server(dns.address(), Duration.ofSeconds(10)),
            Duration.ofMillis(300), List.of(), TestMail.US);
        dns.silent("5.113.0.203.in-addr.arpa");
        Findings findings = new Findings();
        long start = System.nanoTime();
        slow.data(new SmtpFacts(InetAddress.ofLiteral(CLIENT), Optional.of("mail.example.org"), false,
            Optional.empty()), "", List.of(), () -> new ByteArrayInputStream(new byte[0]), findings);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(findings.all()).isEmpty();
    }

    @Test
    void trustedAndAuthenticatedClientsAreNotChecked() {
        assertThat(check("127.0.0.1", "localhost")).isEmpty();
        assertThat(check(new SmtpFacts(InetAddress.ofLiteral(CLIENT), Optional.of("localhost"), true,
            Optional.of("alice@example.org")))).isEmpty();
        ClientChecks trustingNobody = new ClientChecks(Resolvers.server(dns.address(), Duration.ofMillis(400)),
            Duration.ofSeconds(2), List.of(), TestMail.US);
        Findings findings = new Findings();
        trustingNobody.data(new SmtpFacts(InetAddress.ofLiteral("::1"), Optional.of("localhost"), false,
            Optional.empty()), "", List.of(), () -> new ByteArrayInputStream(new byte[0]), findings);
        assertThat(findings.all()).isEmpty(); // the local machine, always
        assertThat(dns.udpQueries() + dns.tcpQueries()).isZero();
    }
}

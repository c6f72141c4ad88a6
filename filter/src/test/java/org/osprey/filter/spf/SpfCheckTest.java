package org.osprey.filter.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.osprey.filter.Findings;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.Verdict;
import org.osprey.filter.dns.TestDnsServer;
import org.osprey.filter.greylist.Cidr;

/** SPF as a pipeline check: the Received-SPF header, the time budget, and who is not checked. */
class SpfCheckTest {
    private static SmtpFacts from(String ip, Optional<String> user) throws Exception {
        return new SmtpFacts(InetAddress.ofLiteral(ip), Optional.of("mx.origin.example"), false, user);
    }

    @Test
    void theResultIsRecordedInAReceivedSpfHeader() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.txt("origin.example", "v=spf1 ip4:192.0.2.0/24 -all");
            var check = new SpfCheck(new SpfEvaluator(Optional.of(dns.address()), Duration.ofSeconds(2),
                    "mx.example.org"), Duration.ofSeconds(5), Cidr.parseAll(List.of("127.0.0.0/8")));
            Verdict pass = check.data(from("192.0.2.7", Optional.empty()), "alice@origin.example", List.of(), null, new Findings());
            assertThat(((Verdict.Accept) pass).headers()).singleElement().asString()
                    .startsWith("Received-SPF: pass").contains("client-ip=192.0.2.7");
            Verdict fail = check.data(from("198.51.100.9", Optional.empty()), "alice@origin.example", List.of(),
                    null, new Findings());
            assertThat(((Verdict.Accept) fail).headers()).singleElement().asString().startsWith("Received-SPF: fail");
            assertThat(check.data(from("127.0.0.1", Optional.empty()), "alice@origin.example", List.of(), null,
                    new Findings())).as("the local machine is trusted").isEqualTo(Verdict.ACCEPT);
            assertThat(check.data(from("198.51.100.9", Optional.of("john@example.org")), "alice@origin.example",
                    List.of(), null, new Findings())).as("a logged-in user is not checked")
                    .isEqualTo(Verdict.ACCEPT);
        }
    }

    @Test
    void aDnsServerThatNeverAnswersCostsNoMoreThanTheBudget() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.silent("slow.example");
            var check = new SpfCheck(new SpfEvaluator(Optional.of(dns.address()), Duration.ofSeconds(5),
                    "mx.example.org"), Duration.ofMillis(500), List.of());
            long start = System.nanoTime();
            Verdict verdict = check.data(from("192.0.2.7", Optional.empty()), "a@slow.example", List.of(), null,
                    new Findings());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(((Verdict.Accept) verdict).headers()).singleElement().asString()
                    .startsWith("Received-SPF: temperror");
        }
    }
}

package org.osprey.filter.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** TXT lookups: strings joined, "no record" apart from "DNS failed", and answers remembered but failures not. */
class TxtLookupTest {
    @Test
    void recordsNoRecordsAndFailures() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.txtStrings("key.example", "v=DKIM1; p=abc", "def");
            dns.txt("key.example", "second");
            dns.exists("empty.example");
            dns.servfail("broken.example");
            TxtLookup lookup = TxtLookup.of(Optional.of(dns.address()), Duration.ofSeconds(2));
            assertThat(lookup.lookup("key.example"))
                    .isEqualTo(new TxtLookup.Answer.Found(List.of("v=DKIM1; p=abcdef", "second")));
            assertThat(lookup.lookup("empty.example")).isEqualTo(new TxtLookup.Answer.NotFound());
            assertThat(lookup.lookup("nxdomain.example")).isEqualTo(new TxtLookup.Answer.NotFound());
            assertThat(lookup.lookup("broken.example")).isInstanceOf(TxtLookup.Answer.Failed.class);
        }
    }

    @Test
    void answersAreRememberedFailuresAreAskedAgain() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.txt("key.example", "v=DKIM1; p=abc");
            dns.servfail("broken.example");
            TxtLookup lookup = TxtLookup.of(Optional.of(dns.address()), Duration.ofSeconds(2))
                    .remembering(Duration.ofMinutes(1), 100);
            int before = dns.udpQueries();
            lookup.lookup("key.example");
            lookup.lookup("KEY.example");
            lookup.lookup("none.example");
            lookup.lookup("none.example");
            assertThat(dns.udpQueries() - before).isEqualTo(2);
            lookup.lookup("broken.example");
            lookup.lookup("broken.example");
            assertThat(dns.udpQueries() - before).isEqualTo(4);
        }
    }

    @Test
    void anAnswerIsRememberedForItsTtlAtMostForTheLimit() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.txt("short.example", "v=DMARC1; p=none", 1);
            dns.txt("long.example", "v=DMARC1; p=reject", 3600);
            TxtLookup lookup = TxtLookup.of(Optional.of(dns.address()), Duration.ofSeconds(2))
                    .remembering(Duration.ofSeconds(3), 100);
            int before = dns.udpQueries();
            lookup.lookup("short.example");
            lookup.lookup("long.example");
            lookup.lookup("short.example");
            lookup.lookup("long.example");
            assertThat(dns.udpQueries() - before).isEqualTo(2);
            Thread.sleep(1_500); // past the short record's TTL, inside the limit
            lookup.lookup("short.example");
            lookup.lookup("long.example");
            assertThat(dns.udpQueries() - before).isEqualTo(3);
            Thread.sleep(2_000); // past the limit: the long TTL does not keep it longer
            lookup.lookup("long.example");
            assertThat(dns.udpQueries() - before).isEqualTo(4);
        }
    }
}

package org.osprey.filter.dnsbl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DnsblZoneTest {

    @Test
    void plainZone() {
        assertThat(DnsblZone.parse(" Zen.Spamhaus.org. "))
            .isEqualTo(new DnsblZone("zen.spamhaus.org", Optional.empty(), 1));
    }

    @Test
    void zoneWithAnswerAndWeight() {
        assertThat(DnsblZone.parse("bl.example.test=127.0.0.2"))
            .isEqualTo(new DnsblZone("bl.example.test", Optional.of(InetAddress.ofLiteral("127.0.0.2")), 1));
        assertThat(DnsblZone.parse("list.dnswl.test=127.0.10.0*-5"))
            .isEqualTo(new DnsblZone("list.dnswl.test", Optional.of(InetAddress.ofLiteral("127.0.10.0")), -5));
        assertThat(DnsblZone.parse("zen.spamhaus.org*3").weight()).isEqualTo(3);
        assertThat(DnsblZone.parse("bl.example.test=127.0.0.2*2")).hasToString("bl.example.test=127.0.0.2*2");
    }

    @Test
    void malformedEntriesAreRefused() {
        assertThatThrownBy(() -> DnsblZone.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsblZone.parse("bl test")).hasMessageContaining("not a DNS name");
        assertThatThrownBy(() -> DnsblZone.parse("bl.test=1.2.3.4")).hasMessageContaining("127.0.0.0/8");
        assertThatThrownBy(() -> DnsblZone.parse("bl.test=127.0.0")).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> DnsblZone.parse("bl.test*x")).hasMessageContaining("weight");
    }
}

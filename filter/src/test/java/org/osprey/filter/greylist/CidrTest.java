package org.osprey.filter.greylist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
    static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void ipv4Networks() throws Exception {
        Cidr net = Cidr.parse("10.1.2.3/16");
        assertThat(net).hasToString("10.1.0.0/16");
        assertThat(net.contains(ip("10.1.255.1"))).isTrue();
        assertThat(net.contains(ip("10.2.0.1"))).isFalse();
        assertThat(net.contains(ip("::ffff:10.1.0.1"))).isTrue();
        assertThat(net.contains(ip("2001:db8::1"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.1"))).isTrue();
        assertThat(Cidr.parse("127.0.0.0/8").contains(ip("127.9.9.9"))).isTrue();
        assertThat(Cidr.parse("192.0.2.7").contains(ip("192.0.2.8"))).isFalse();
        assertThat(Cidr.parse("192.0.2.0/25").contains(ip("192.0.2.127"))).isTrue();
        assertThat(Cidr.parse("192.0.2.0/25").contains(ip("192.0.2.128"))).isFalse();
    }

    @Test
    void ipv6Networks() throws Exception {
        assertThat(Cidr.parse("::1/128").contains(ip("::1"))).isTrue();
        assertThat(Cidr.parse("::1/128").contains(ip("127.0.0.1"))).isFalse();
        Cidr net = Cidr.parse("2001:db8:abcd::/48");
        assertThat(net.contains(ip("2001:db8:abcd:ffff::1"))).isTrue();
        assertThat(net.contains(ip("2001:db8:abce::1"))).isFalse();
        assertThat(Cidr.parse("2001:db8::/33").contains(ip("2001:db8:7fff::1"))).isTrue();
        assertThat(Cidr.parse("2001:db8::/33").contains(ip("2001:db8:8000::1"))).isFalse();
    }

    @Test
    void equalNetworksAreEqual() {
        assertThat(Cidr.parse("192.0.2.9/24")).isEqualTo(Cidr.parse("192.0.2.0/24"));
        assertThat(Cidr.parseAll(List.of("127.0.0.0/8", "::1/128"))).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/8", "mail.example.com", "192.0.2.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/x",
        "10.0.0.0/", "dead.beef"})
    void badNetworksAreRefusedWithTheirText(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + text + "\"");
    }
}

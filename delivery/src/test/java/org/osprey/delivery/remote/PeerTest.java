package org.osprey.delivery.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class PeerTest {

    @Test
    void printsAsPostfixDoes() {
        Peer peer = new Peer("mx.example.net", InetAddress.ofLiteral("192.0.2.1"), 25);
        assertThat(peer.label()).isEqualTo("mx.example.net[192.0.2.1]");
        assertThat(peer).hasToString("mx.example.net[192.0.2.1]:25");
    }

    @Test
    void ipv6InItsShortForm() {
        assertThat(Peer.text(InetAddress.ofLiteral("::1"))).isEqualTo("::1");
        assertThat(Peer.text(InetAddress.ofLiteral("::"))).isEqualTo("::");
        assertThat(Peer.text(InetAddress.ofLiteral("2001:DB8:0:0:0:0:0:1"))).isEqualTo("2001:db8::1");
        assertThat(Peer.text(InetAddress.ofLiteral("2001:db8::"))).isEqualTo("2001:db8::");
        // a single zero group stays; the longest run is the one shortened
        assertThat(Peer.text(InetAddress.ofLiteral("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Peer.text(InetAddress.ofLiteral("2001:0:0:1:0:0:0:1"))).isEqualTo("2001:0:0:1::1");
        assertThat(Peer.text(InetAddress.ofLiteral("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
    }
}

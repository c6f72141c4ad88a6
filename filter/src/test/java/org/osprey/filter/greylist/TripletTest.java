package org.osprey.filter.greylist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TripletTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Alice@Example.COM | alice@example.com",
        "<alice@example.com> | alice@example.com",
        "'' | ''",
        "alice+lists@example.com | alice@example.com",
        "bounce-12345-678@lists.example | bounce-#-#@lists.example",
        "prvs=0123abcdef=alice@example.com | alice@example.com",
        "msprvs1=17736abcde=alice@example.com | alice@example.com",
        "SRS0=HhH3=TT=orig.example=alice@forwarder.example | srs#=orig.example=alice@forwarder.example",
        "SRS1=XxYy=first.example==HhH3=TT=orig.example=alice@second.example"
                + " | srs#=first.example=orig.example=alice@second.example",
        "prvs=broken@example.com | prvs=broken@example.com",
        "+only@example.com | +only@example.com",
    })
    void sendersAreNormalized(String sender, String normalized) {
        assertThat(Triplet.normalizeSender(sender)).isEqualTo(normalized);
    }

    @Test
    void srsHashAndTimestampDoNotChangeTheSender() {
        assertThat(Triplet.normalizeSender("SRS0=abcd=Q1=orig.example=alice@fwd.example"))
                .isEqualTo(Triplet.normalizeSender("SRS0=wxyz=R7=orig.example=alice@fwd.example"));
    }

    @Test
    void networksAreSlash24AndSlash64() throws Exception {
        assertThat(Triplet.network(InetAddress.getByName("192.0.2.200"))).isEqualTo("192.0.2.0/24");
        assertThat(Triplet.network(InetAddress.getByName("2001:db8:1:2:3:4:5:6")))
                .isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(Triplet.network(InetAddress.getByName("::ffff:192.0.2.9"))).isEqualTo("192.0.2.0/24");
    }

    @Test
    void theKeyDependsOnAllThreePartsAndNotOnCaseOrHost() throws Exception {
        String key = Triplet.of(InetAddress.getByName("192.0.2.1"), "a@x.example", "b@y.test").key();
        assertThat(key).hasSize(64).matches("[0-9a-f]+");
        assertThat(Triplet.of(InetAddress.getByName("192.0.2.99"), "A@X.example", "B@y.TEST").key()).isEqualTo(key);
        assertThat(Triplet.of(InetAddress.getByName("192.0.3.1"), "a@x.example", "b@y.test").key()).isNotEqualTo(key);
        assertThat(Triplet.of(InetAddress.getByName("192.0.2.1"), "c@x.example", "b@y.test").key()).isNotEqualTo(key);
        assertThat(Triplet.of(InetAddress.getByName("192.0.2.1"), "a@x.example", "c@y.test").key()).isNotEqualTo(key);
    }
}

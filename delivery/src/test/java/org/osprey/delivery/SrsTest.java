package org.osprey.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** SRS rewriting for forwarded mail: the round trip, and the refusals that keep it from being an open relay. */
class SrsTest {
    private static final byte[] SECRET = "a secret of this server".getBytes(StandardCharsets.US_ASCII);
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private static Srs at(Instant when) {
        return new Srs(SECRET, Clock.fixed(when, ZoneOffset.UTC));
    }

    @Test
    void aForwardedSenderComesBackAsTheOriginalAddress() {
        String rewritten = at(NOW).forward("alice@origin.example", "example.org");
        assertThat(rewritten).matches("SRS0=[A-Za-z0-9_-]{4}=[A-Z2-7]{2}=origin\\.example=alice@example\\.org");
        String local = rewritten.substring(0, rewritten.lastIndexOf('@'));
        assertThat(at(NOW.plus(Duration.ofDays(3))).reverse(local)).contains("alice@origin.example");
        assertThat(at(NOW).reverse(local.toLowerCase())).as("local parts may be lower-cased on the way")
                .contains("alice@origin.example");
    }

    @Test
    void theNullSenderAndOurOwnSrsAddressesStayAsTheyAre() {
        assertThat(at(NOW).forward("", "example.org")).isEmpty();
        String once = at(NOW).forward("alice@origin.example", "example.org");
        assertThat(at(NOW).forward(once, "example.org")).isEqualTo(once);
    }

    @Test
    void aForgedHashAnOldAddressAndAnotherSecretAreRefused() {
        String local = at(NOW).forward("alice@origin.example", "example.org").split("@")[0];
        String forged = "SRS0=AAAA" + local.substring(9);
        assertThat(at(NOW).reverse(forged)).isEmpty();
        assertThat(at(NOW).reverse(local.replace("alice", "mallory"))).isEmpty();
        assertThat(at(NOW.plus(Duration.ofDays(Srs.MAX_AGE_DAYS + 2))).reverse(local)).isEmpty();
        assertThat(new Srs("other".getBytes(StandardCharsets.US_ASCII), Clock.fixed(NOW, ZoneOffset.UTC))
                .reverse(local)).isEmpty();
        assertThat(at(NOW).reverse("john")).isEmpty();
        assertThat(at(NOW).reverse("SRS0=abc")).isEmpty();
    }
}

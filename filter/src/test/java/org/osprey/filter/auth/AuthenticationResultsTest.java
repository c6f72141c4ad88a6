package org.osprey.filter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.osprey.filter.dkim.DkimResult;
import org.osprey.filter.dmarc.DmarcRecord;
import org.osprey.filter.dmarc.DmarcResult;
import org.osprey.filter.mail.MessageHeader;

/** The Authentication-Results field as RFC 8601 writes it, and finding the forged ones. */
class AuthenticationResultsTest {
    @Test
    void oneResultPerFoldedLineOrNone() {
        assertThat(AuthenticationResults.field("mx.example.org", List.of("spf=pass smtp.mailfrom=a@b.example",
                "dkim=none"))).isEqualTo("Authentication-Results: mx.example.org;\r\n\tspf=pass"
                + " smtp.mailfrom=a@b.example;\r\n\tdkim=none");
        assertThat(AuthenticationResults.field("mx.example.org", List.of()))
                .isEqualTo("Authentication-Results: mx.example.org; none");
    }

    @Test
    void dkimAndDmarcResultsWithTheirProperties() {
        var pass = new DkimResult(DkimResult.Code.PASS, "origin.example", "sel", "ed25519-sha256",
                "alice@origin.example", "abc/+def", "", false);
        assertThat(AuthenticationResults.dkim(pass)).isEqualTo("dkim=pass header.d=origin.example"
                + " header.i=alice@origin.example header.s=sel header.a=ed25519-sha256 header.b=\"abc/+def\"");
        var dmarc = new DmarcResult(DmarcResult.Code.FAIL, "origin.example",
                Optional.of(DmarcRecord.parse("v=DMARC1; p=reject; sp=none; pct=50")), DmarcRecord.Policy.REJECT,
                DmarcRecord.Policy.QUARANTINE, "no aligned SPF or DKIM pass");
        assertThat(AuthenticationResults.dmarc(dmarc))
                .isEqualTo("dmarc=fail (p=reject sp=none pct=50 dis=quarantine) header.from=origin.example");
    }

    @Test
    void whatASenderChoseCannotBreakOutOfItsValue() {
        var hostile = new DkimResult(DkimResult.Code.FAIL, "x.example", "s;\r\nX-Spam: no", "rsa-sha256",
                "@x.example", "abcdefgh", "bad (really) \\ bad", false);
        String text = AuthenticationResults.dkim(hostile);
        assertThat(text).doesNotContain("\r", "\n").contains("header.s=\"s;??X-Spam: no\"")
                .contains("(bad really  bad)");
    }

    @Test
    void theAuthservIdIsTheFirstValueAfterComments() throws Exception {
        assertThat(AuthenticationResults.authservId("mx.example.org; spf=pass")).isEqualTo("mx.example.org");
        assertThat(AuthenticationResults.authservId(" (a (nested) comment) mx.example.org 1; none"))
                .isEqualTo("mx.example.org");
        assertThat(AuthenticationResults.authservId("\"mx.example.org\"; none")).isEqualTo("mx.example.org");
        assertThat(AuthenticationResults.authservId("mx.example.org")).isEqualTo("mx.example.org");
        String header = "Received: by mx.example.org\r\nAuthentication-Results: mx.example.org;\r\n dkim=pass\r\n"
                + "Authentication-Results: mx.example.org.evil.example; dkim=pass\r\nSubject: x\r\n\r\nbody\r\n";
        MessageHeader parsed = MessageHeader.read(new ByteArrayInputStream(header.getBytes(StandardCharsets.UTF_8)));
        assertThat(AuthenticationResults.forged(parsed, "mx.example.org")).containsExactly(1);
    }
}

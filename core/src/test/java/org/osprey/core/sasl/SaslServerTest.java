package org.osprey.core.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SaslServerTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void plainWithoutAuthzid() throws Exception {
        SaslServer sasl = SaslServer.start("plain");
        assertThat(sasl.initialChallenge()).isEmpty();
        assertThat(sasl.respond(b("\0john@example.org\0pässwörd"))).isEmpty();
        assertThat(sasl.credentials()).contains(new Credentials("PLAIN", "", "john@example.org", "pässwörd"));
    }

    @Test
    void plainWithAuthzid() throws Exception {
        SaslServer sasl = SaslServer.start("PLAIN");
        sasl.respond(b("admin@example.org\0john@example.org\0pw"));
        assertThat(sasl.credentials().orElseThrow().authzid()).isEqualTo("admin@example.org");
    }

    @Test
    void plainMustHaveExactlyTwoNuls() {
        for (String bad : new String[] {"john\0pw", "\0john\0pw\0x", "", "\0\0pw"}) {
            assertThatThrownBy(() -> SaslServer.start("PLAIN").respond(b(bad))).isInstanceOf(SaslException.class);
        }
    }

    @Test
    void plainRefusesInvalidUtf8AndHugeFields() {
        byte[] invalid = {0, 'j', (byte) 0xC3, 0, 'p'};
        assertThatThrownBy(() -> SaslServer.start("PLAIN").respond(invalid)).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> SaslServer.start("PLAIN").respond(b("\0" + "j".repeat(2000) + "\0pw")))
                .hasMessageContaining("too long");
    }

    @Test
    void loginAsksForUserThenPassword() throws Exception {
        SaslServer sasl = SaslServer.start("LOGIN");
        assertThat(new String(sasl.initialChallenge(), StandardCharsets.US_ASCII)).isEqualTo("Username:");
        assertThat(sasl.respond(b("john@example.org"))).map(String::new).contains("Password:");
        assertThat(sasl.respond(b("secret"))).isEmpty();
        assertThat(sasl.credentials()).contains(new Credentials("LOGIN", "", "john@example.org", "secret"));
        assertThatThrownBy(() -> sasl.respond(b("more"))).isInstanceOf(SaslException.class);
    }

    @Test
    void unknownMechanismsAreRefused() {
        assertThatThrownBy(() -> SaslServer.start("CRAM-MD5")).isInstanceOf(SaslException.class);
        assertThat(SaslServer.MECHANISMS).containsExactly("PLAIN", "LOGIN");
    }

    @Test
    void credentialsNeverPrintThePassword() {
        assertThat(new Credentials("PLAIN", "", "john", "hunter2").toString()).doesNotContain("hunter2");
    }
}

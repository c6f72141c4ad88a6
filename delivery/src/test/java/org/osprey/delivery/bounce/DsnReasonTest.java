package org.osprey.delivery.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DsnReasonTest {
    @Test
    void statusComesFromTheLeadingEnhancedCode() {
        assertThat(DsnReason.status("5.1.1 host mx[192.0.2.1] said: 550 5.1.1 unknown", false)).isEqualTo("5.1.1");
        assertThat(DsnReason.status("5.2.2 mailbox full", false)).isEqualTo("5.2.2");
        assertThat(DsnReason.status("5.001.010 odd but valid", false)).isEqualTo("5.1.10");
    }

    @Test
    void withoutOneFromAnEnhancedCodeInsideOrTheReplyCodeOrTheDefault() {
        assertThat(DsnReason.status("the server said: 550 5.7.1 relaying denied", false)).isEqualTo("5.7.1");
        assertThat(DsnReason.status("550 no such user", false)).isEqualTo("5.0.0");
        assertThat(DsnReason.status("421 try later", true)).isEqualTo("4.0.0");
        assertThat(DsnReason.status("something broke", false)).isEqualTo("5.0.0");
        assertThat(DsnReason.status("something broke", true)).isEqualTo("4.0.0");
        assertThat(DsnReason.status("", false)).isEqualTo("5.0.0");
    }

    @Test
    void anIpAddressIsNotAStatusCode() {
        assertThat(DsnReason.status("connect to 10.4.5.6 refused", false)).isEqualTo("5.0.0");
        assertThat(DsnReason.status("connect to 192.5.5.241 refused", true)).isEqualTo("4.0.0");
    }

    @Test
    void theClassFollowsTheKindOfReport() {
        // expired in the queue after temporary errors: still failed, and the 4.x.x of the last attempt stays
        assertThat(DsnReason.status("4.4.1 connect to mx[192.0.2.1]: timed out", false)).isEqualTo("4.4.1");
        assertThat(DsnReason.status("5.1.1 odd for a delay", true)).isEqualTo("4.1.1");
        assertThat(DsnReason.status("2.0.0 a success is no failure", false)).isEqualTo("5.0.0");
    }

    @Test
    void diagnosticCodeIsTheRemoteReplyWhenThereIsOne() {
        assertThat(DsnReason.diagnosticCode("5.1.1 host mx.example.net[192.0.2.1] said: 550 5.1.1 <a@b>: unknown"
                + " (in reply to RCPT TO command)")).isEqualTo("smtp; 550 5.1.1 <a@b>: unknown");
        assertThat(DsnReason.diagnosticCode("5.1.1 mailbox a@b no longer exists"))
                .isEqualTo("X-Osprey; mailbox a@b no longer exists");
        assertThat(DsnReason.diagnosticCode("")).isEqualTo("X-Osprey; delivery failed");
    }

    @Test
    void remoteMtaIsTheHostNamedInTheReason() {
        assertThat(DsnReason.remoteMta("5.1.1 host mx.example.net[192.0.2.1] said: 550")).hasValue("mx.example.net");
        assertThat(DsnReason.remoteMta("4.4.2 conversation with mx2.example.net[2001:db8::1] timed out"))
                .hasValue("mx2.example.net");
        assertThat(DsnReason.remoteMta("5.2.2 mailbox full")).isEmpty();
    }
}

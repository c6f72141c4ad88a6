package org.osprey.filter.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.filter.dkim.DkimResult.Code;
import org.osprey.filter.dns.TestDnsServer;
import org.osprey.filter.dns.TxtLookup;

/**
 * DKIM verification of messages signed by dkimpy (an independent implementation), keys served by a DNS server on
 * loopback: RSA and Ed25519, relaxed and simple, l=, several signatures, and every way a signature fails.
 */
class DkimVerifierTest {
    private static final String MESSAGE = "From: Alice <alice@origin.example>\r\n"
            + "To: john@example.org\r\n"
            + "Subject: the  quarterly\r\n\tfigures\r\n"
            + "Date: Sat, 05 Dec 2026 01:00:00 +0000\r\n"
            + "Message-ID: <1@origin.example>\r\n"
            + "\r\n"
            + "Hello John,\r\n\r\nthe figures  are attached.\t \r\n\r\n\r\n";

    private static Dkimpy.Key rsa;
    private static Dkimpy.Key ed25519;

    @TempDir
    Path tmp;
    private TestDnsServer dns;
    private DkimVerifier verifier;

    @BeforeAll
    static void keys() throws Exception {
        rsa = Dkimpy.rsa("origin.example", "rsa1");
        ed25519 = Dkimpy.ed25519("origin.example", "ed1");
    }

    @BeforeEach
    void dns() throws Exception {
        dns = TestDnsServer.start();
        rsa.publish(dns);
        ed25519.publish(dns);
        verifier = new DkimVerifier(TxtLookup.of(Optional.of(dns.address()), Duration.ofSeconds(2)),
                Clock.systemUTC(), DkimVerifier.DEFAULT_MAX_SIGNATURES);
    }

    @AfterEach
    void stop() throws Exception {
        dns.close();
    }

    private byte[] sign(String message, Dkimpy.Key key, String canon, boolean length) throws Exception {
        return Dkimpy.sign(tmp, message.getBytes(StandardCharsets.UTF_8), key, canon, length);
    }

    private List<DkimResult> verify(byte[] message) throws Exception {
        return verifier.verify(new ByteArrayInputStream(message));
    }

    private static String text(byte[] message) {
        return new String(message, StandardCharsets.UTF_8);
    }

    @Test
    void rsaAndEd25519InEveryCanonicalizationPass() throws Exception {
        for (Dkimpy.Key key : List.of(rsa, ed25519)) {
            for (String canon : List.of("relaxed/relaxed", "simple/simple", "relaxed/simple", "simple/relaxed")) {
                List<DkimResult> results = verify(sign(MESSAGE, key, canon, false));
                assertThat(results).as("%s %s", key.algorithm(), canon).singleElement().satisfies(r -> {
                    assertThat(r.code()).as("%s %s: %s", key.algorithm(), canon, r).isEqualTo(Code.PASS);
                    assertThat(r.domain()).isEqualTo("origin.example");
                    assertThat(r.selector()).isEqualTo(key.selector());
                    assertThat(r.algorithm()).isEqualTo(key.algorithm());
                    assertThat(r.headerB()).hasSize(8);
                });
            }
        }
    }

    @Test
    void aChangedBodyFailsOnItsHashAndAChangedHeaderOnTheSignature() throws Exception {
        String signed = text(sign(MESSAGE, rsa, "relaxed/relaxed", false));
        assertThat(verify(signed.replace("figures  are", "figures were").getBytes(StandardCharsets.UTF_8)))
                .singleElement().satisfies(r -> {
                    assertThat(r.code()).isEqualTo(Code.FAIL);
                    assertThat(r.reason()).isEqualTo("body hash did not verify");
                });
        assertThat(verify(signed.replace("Subject: the", "Subject: The").getBytes(StandardCharsets.UTF_8)))
                .singleElement().satisfies(r -> {
                    assertThat(r.code()).isEqualTo(Code.FAIL);
                    assertThat(r.reason()).isEqualTo("signature did not verify");
                });
        String signedEd = text(sign(MESSAGE, ed25519, "relaxed/relaxed", false));
        assertThat(verify(signedEd.replace("To: john", "To: jane").getBytes(StandardCharsets.UTF_8)))
                .singleElement().extracting(DkimResult::code).isEqualTo(Code.FAIL);
    }

    @Test
    void relaxedSurvivesReFoldingAndRespacingSimpleDoesNot() throws Exception {
        String relaxed = text(sign(MESSAGE, rsa, "relaxed/relaxed", false));
        String simple = text(sign(MESSAGE, rsa, "simple/simple", false));
        String respaced = "Subject: the quarterly figures\r\n";
        String original = "Subject: the  quarterly\r\n\tfigures\r\n";
        assertThat(verify(relaxed.replace(original, respaced).replace("are attached.\t ", "are attached.")
                .getBytes(StandardCharsets.UTF_8))).singleElement().extracting(DkimResult::code)
                .isEqualTo(Code.PASS);
        assertThat(verify(simple.replace(original, respaced).getBytes(StandardCharsets.UTF_8)))
                .singleElement().extracting(DkimResult::code).isEqualTo(Code.FAIL);
        assertThat(verify(simple.replace("are attached.\t ", "are attached.").getBytes(StandardCharsets.UTF_8)))
                .singleElement().extracting(DkimResult::reason).isEqualTo("body hash did not verify");
    }

    @Test
    void aBodyLengthCountLetsTextBeAddedButNotChanged() throws Exception {
        String signed = text(sign(MESSAGE, rsa, "relaxed/relaxed", true));
        assertThat(signed).contains("l=");
        assertThat(verify((signed + "-- \r\nmailing list footer\r\n").getBytes(StandardCharsets.UTF_8)))
                .singleElement().extracting(DkimResult::code).isEqualTo(Code.PASS);
        assertThat(verify(signed.replace("Hello John", "Hello Jane").getBytes(StandardCharsets.UTF_8)))
                .singleElement().extracting(DkimResult::code).isEqualTo(Code.FAIL);
        String cut = signed.substring(0, signed.indexOf("the figures"));
        assertThat(verify(cut.getBytes(StandardCharsets.UTF_8))).singleElement().satisfies(r ->
                assertThat(r.reason()).isEqualTo("body shorter than l="));
    }

    @Test
    void everySignatureIsVerifiedOnItsOwn() throws Exception {
        Dkimpy.Key other = Dkimpy.rsa("list.example", "lists").publish(dns);
        Dkimpy.Key unpublished = Dkimpy.ed25519("gone.example", "old");
        byte[] twice = Dkimpy.sign(tmp, sign(MESSAGE, rsa, "relaxed/simple", false), ed25519, "relaxed/relaxed",
                false);
        byte[] thrice = Dkimpy.sign(tmp, twice, other, "simple/simple", false);
        byte[] four = Dkimpy.sign(tmp, thrice, unpublished, "relaxed/relaxed", false);
        List<DkimResult> results = verify(four);
        assertThat(results).extracting(DkimResult::domain)
                .containsExactly("gone.example", "list.example", "origin.example", "origin.example");
        assertThat(results).extracting(DkimResult::code)
                .containsExactly(Code.PERMERROR, Code.PASS, Code.PASS, Code.PASS);
        assertThat(results.getFirst().reason()).isEqualTo("no key for signature");
    }

    @Test
    void atMostTheLimitOfSignaturesIsVerified() throws Exception {
        byte[] message = MESSAGE.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 7; i++) {
            message = Dkimpy.sign(tmp, message, ed25519, "relaxed/relaxed", false);
        }
        int before = dns.udpQueries();
        assertThat(verify(message)).hasSize(DkimVerifier.DEFAULT_MAX_SIGNATURES)
                .allSatisfy(r -> assertThat(r.code()).isEqualTo(Code.PASS));
        assertThat(dns.udpQueries() - before).isEqualTo(DkimVerifier.DEFAULT_MAX_SIGNATURES);
    }

    @Test
    void revokedMissingBrokenAndUnreachableKeys() throws Exception {
        Dkimpy.Key revoked = Dkimpy.rsa("revoked.example", "s");
        dns.txt(revoked.dnsName(), "v=DKIM1; k=rsa; p=");
        assertThat(verify(sign(MESSAGE, revoked, "relaxed/relaxed", false))).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(Code.FAIL);
            assertThat(r.reason()).isEqualTo("key revoked");
        });
        Dkimpy.Key broken = Dkimpy.rsa("broken.example", "s");
        dns.txt(broken.dnsName(), "v=DKIM1; k=rsa; p=notbase64!!");
        assertThat(verify(sign(MESSAGE, broken, "relaxed/relaxed", false))).singleElement()
                .extracting(DkimResult::code).isEqualTo(Code.PERMERROR);
        Dkimpy.Key wrongType = Dkimpy.ed25519("mixed.example", "s");
        new Dkimpy.Key(wrongType.domain(), wrongType.selector(), rsa.algorithm(), rsa.pair()).publish(dns);
        assertThat(verify(sign(MESSAGE, wrongType, "relaxed/relaxed", false))).singleElement()
                .satisfies(r -> assertThat(r.reason()).startsWith("key type rsa does not fit"));
        Dkimpy.Key shortKey = Dkimpy.rsa("short.example", "s", 512).publish(dns);
        assertThat(verify(sign(MESSAGE, shortKey, "relaxed/relaxed", false))).singleElement()
                .satisfies(r -> {
                    assertThat(r.code()).isEqualTo(Code.PERMERROR);
                    assertThat(r.reason()).contains("too short");
                });
        Dkimpy.Key unreachable = Dkimpy.rsa("servfail.example", "s");
        dns.servfail(unreachable.dnsName());
        assertThat(verify(sign(MESSAGE, unreachable, "relaxed/relaxed", false))).singleElement()
                .extracting(DkimResult::code).isEqualTo(Code.TEMPERROR);
    }

    @Test
    void badSignatureSyntaxIsAPermanentErrorThatStillNamesTheDomain() throws Exception {
        String signed = text(sign(MESSAGE, rsa, "relaxed/relaxed", false));
        String noBodyHash = signed.replaceFirst("bh=[^;]*;", "");
        assertThat(verify(noBodyHash.getBytes(StandardCharsets.UTF_8))).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(Code.PERMERROR);
            assertThat(r.domain()).isEqualTo("origin.example");
            assertThat(r.reason()).contains("no bh= tag");
        });
        String sha1 = signed.replace("a=rsa-sha256", "a=rsa-sha1");
        assertThat(verify(sha1.getBytes(StandardCharsets.UTF_8))).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("unsupported algorithm"));
        String foreignIdentity = signed.replaceFirst("i=@origin.example", "i=@evil.example");
        assertThat(verify(foreignIdentity.getBytes(StandardCharsets.UTF_8))).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("is not in d="));
        assertThat(verify(MESSAGE.getBytes(StandardCharsets.UTF_8))).as("no signature, no result").isEmpty();
    }
}

package org.osprey.filter.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.filter.dkim.DkimResult.Code;
import org.osprey.filter.dmarc.AuthorDomains;
import org.osprey.filter.dmarc.DmarcRecord;
import org.osprey.filter.dns.TestDnsServer;
import org.osprey.filter.dns.TxtLookup;

/**
 * Hostile input never escapes the parsers as anything but their documented refusal: a dkimpy-signed message
 * mutated at random (bytes changed, cut short, lines doubled) is verified without an exception and never passes
 * when a signed byte changed; random tag lists, key records and From values are parsed or refused.
 */
class DkimGarbageTest {
    @TempDir
    Path tmp;

    @Test
    void mutatedSignedMessagesNeverThrowAndChangedBodiesNeverPass() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start()) {
            Dkimpy.Key rsa = Dkimpy.rsa("origin.example", "r").publish(dns);
            Dkimpy.Key ed = Dkimpy.ed25519("origin.example", "e").publish(dns);
            String message = "From: a@origin.example\r\nSubject: s\r\n\r\nbody line one\r\nbody line two\r\n";
            byte[] signed = Dkimpy.sign(tmp, Dkimpy.sign(tmp, message.getBytes(StandardCharsets.US_ASCII), rsa,
                    "simple/simple", false), ed, "relaxed/relaxed", false);
            var verifier = new DkimVerifier(TxtLookup.of(Optional.of(dns.address()), Duration.ofSeconds(2))
                    .remembering(Duration.ofMinutes(1), 100), Clock.systemUTC(), 5);
            int bodyStart = new String(signed, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
            var random = new Random(6376);
            int changedBodies = 0;
            for (int round = 0; round < 300; round++) {
                byte[] mutated = signed.clone();
                // half the changes in the body, which is short beside the two signatures
                int at = random.nextBoolean() ? bodyStart + random.nextInt(mutated.length - bodyStart)
                        : random.nextInt(mutated.length);
                int kind = random.nextInt(3);
                if (kind == 0) {
                    mutated[at] = (byte) (mutated[at] ^ (1 + random.nextInt(255)));
                } else if (kind == 1) {
                    mutated = java.util.Arrays.copyOf(mutated, at);
                } else {
                    mutated[at] = (byte) "\r\n:;= \t".charAt(random.nextInt(7));
                }
                byte[] input = mutated;
                var results = new AtomicReference<List<DkimResult>>();
                assertThatCode(() -> results.set(verifier.verify(new ByteArrayInputStream(input))))
                        .as("round %d", round).doesNotThrowAnyException();
                boolean bodyByteChanged = kind != 1 && at >= bodyStart && mutated[at] != signed[at]
                        && "\r\n \t".indexOf(signed[at]) < 0 && "\r\n \t".indexOf(mutated[at]) < 0;
                changedBodies += bodyByteChanged ? 1 : 0;
                if (bodyByteChanged) {
                    assertThat(results.get()).as("round %d: a changed body byte", round)
                            .noneMatch(r -> r.code() == Code.PASS);
                }
            }
            assertThat(changedBodies).as("the test changed bodies").isGreaterThan(50);
        }
    }

    @Test
    void randomTextIsParsedOrRefusedNeverThrownAtUs() {
        var random = new Random(7489);
        String alphabet = "v=DKIM1;DMARC1 pabhdsclixtk:/@<>()\"\\,\r\n\t-_.+=rsaed25519xyz0123456789";
        for (int round = 0; round < 5000; round++) {
            var text = new StringBuilder();
            int length = random.nextInt(60);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String t = text.toString();
            assertThatCode(() -> {
                try {
                    DkimSignature.parse(t);
                } catch (IllegalArgumentException expected) {
                    // refused
                }
                try {
                    DkimKeyRecord.parse(t);
                } catch (DkimKeyRecord.KeyException expected) {
                    // refused
                }
                if (DmarcRecord.isDmarc(t)) {
                    try {
                        DmarcRecord.parse(t);
                    } catch (IllegalArgumentException expected) {
                        // refused
                    }
                }
                AuthorDomains.of(List.of(t));
            }).as("input %s", t).doesNotThrowAnyException();
        }
    }
}

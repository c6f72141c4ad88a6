package org.osprey.delivery.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signatures checked by an independent verifier (dkimpy), for both algorithms. */
class DkimSignerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    private static final String MESSAGE = """
            From: Jane Doe <jane@example.org>\r
            To: john@example.net\r
            Subject: Lunch\r
            Date: Sun, 1 Mar 2026 12:00:00 +0000\r
            Message-ID: <lunch-1@example.org>\r
            Received: from somewhere\r
            \r
            Hi John,\r
            \r
            shall we have lunch?\r
            """;

    @TempDir
    static Path keyDir;
    static List<DkimKey> keys;

    @TempDir
    Path tmp;

    @BeforeAll
    static void makeKeys() throws IOException {
        var store = new DkimKeys(keyDir);
        store.generate("example.org", "osprey", DkimAlgorithm.RSA);
        store.generate("example.org", "osprey-ed25519", DkimAlgorithm.ED25519);
        keys = store.signingKeys("example.org");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> sign(byte[] message) throws IOException {
        return new DkimSigner(CLOCK).sign(new ByteArrayInputStream(message), keys);
    }

    private static byte[] signed(byte[] message) throws IOException {
        var out = new ByteArrayOutputStream();
        for (String field : sign(message)) {
            out.writeBytes(bytes(field + "\r\n"));
        }
        out.writeBytes(message);
        return out.toByteArray();
    }

    private List<String> verify(byte[] message) throws Exception {
        return Dkimpy.verify(tmp, message, keys);
    }

    @Test
    void bothSignaturesVerify() throws Exception {
        assertThat(verify(signed(bytes(MESSAGE)))).containsExactly("rsa-sha256 pass", "ed25519-sha256 pass");
    }

    @Test
    void theFieldsCarryTheTagsAndFoldToShortLines() throws IOException {
        List<String> fields = sign(bytes(MESSAGE));
        assertThat(fields).hasSize(2);
        String rsa = fields.get(0);
        assertThat(rsa).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org;")
                .doesNotEndWith("\r\n").doesNotContain("\n\n");
        String unfolded = rsa.replace("\r\n\t", " ");
        assertThat(unfolded).contains(" s=osprey;").contains(" t=" + CLOCK.instant().getEpochSecond() + ";")
                .contains(" h=from:to:subject:date:message-id:from;").containsPattern(" bh=[A-Za-z0-9+/]{43}=;");
        assertThat(fields.get(1)).startsWith("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;");
        for (String field : fields) {
            for (String line : field.split("\r\n", -1)) {
                assertThat(line.replace("\t", "        ").length()).as(line).isLessThanOrEqualTo(78);
            }
            // every continuation line starts with white space, so the field stays one field
            List<String> lines = List.of(field.split("\r\n"));
            assertThat(lines.subList(1, lines.size())).allSatisfy(line -> assertThat(line).startsWith("\t"));
        }
    }

    @Test
    void aChangedBodyFailsSoTheVerifierReallyVerifies() throws Exception {
        String signed = new String(signed(bytes(MESSAGE)), StandardCharsets.UTF_8);
        String tampered = signed.replace("shall we have lunch?", "shall we have dinner?");
        assertThat(verify(bytes(tampered))).hasSize(2).allSatisfy(line -> assertThat(line).contains("fail"));
    }

    @Test
    void aChangedSubjectOrAnAddedFromFails() throws Exception {
        String signed = new String(signed(bytes(MESSAGE)), StandardCharsets.UTF_8);
        assertThat(verify(bytes(signed.replace("Subject: Lunch", "Subject: Money")))).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("fail"));
        // Over-signing: a second From put below the signatures is caught.
        assertThat(verify(bytes(signed.replace("Received: from somewhere\r\n", "Received: from somewhere\r\n"
                + "From: ceo@example.org\r\n")))).hasSize(2).allSatisfy(line -> assertThat(line).contains("fail"));
        // White space that relaxed canonicalization ignores does not break it.
        assertThat(verify(bytes(signed.replace("Subject: Lunch", "Subject:    Lunch  ")
                .replace("shall we have lunch?\r\n", "shall we  have lunch?   \r\n\r\n\r\n"))))
                .containsExactly("rsa-sha256 pass", "ed25519-sha256 pass");
    }

    @Test
    void foldedHeadersRepeatedFieldsAndListFields() throws Exception {
        String message = """
                Received: from a\r
                \tby b\r
                From: "Doe, Jane"\r
                  <jane@example.org>\r
                To: one@example.net,\r
                \ttwo@example.net\r
                To: three@example.net\r
                Subject: a subject that is long enough to be folded by a mail client when it is\r
                 written, with\ttabs\r
                List-Id: Lunch <lunch.example.org>\r
                List-Unsubscribe: <mailto:leave@example.org>\r
                MIME-Version: 1.0\r
                Content-Type: text/plain;\r
                \tcharset=utf-8\r
                X-Not-Signed: whatever\r
                \r
                body\r
                """;
        String rsa = sign(bytes(message)).getFirst().replace("\r\n\t", "");
        assertThat(rsa).contains("h=from:to:to:subject:list-id:list-unsubscribe:mime-version:content-type:from;");
        assertThat(verify(signed(bytes(message)))).containsExactly("rsa-sha256 pass", "ed25519-sha256 pass");
    }

    @Test
    void eightBitBodyAndUtf8Header() throws Exception {
        String message = "From: J\u00f6rg <joerg@example.org>\r\nSubject: Gr\u00fc\u00dfe \u2603\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "Sch\u00f6ne Gr\u00fc\u00dfe  aus K\u00f6ln \u2603\t\r\n\u00e9\u00e8\r\n";
        assertThat(verify(signed(bytes(message)))).containsExactly("rsa-sha256 pass", "ed25519-sha256 pass");
    }

    @Test
    void emptyBodyAndNoBodyAtAll() throws Exception {
        String header = "From: jane@example.org\r\nSubject: nothing\r\n";
        assertThat(verify(signed(bytes(header + "\r\n")))).containsExactly("rsa-sha256 pass",
                "ed25519-sha256 pass");
        assertThat(verify(signed(bytes(header + "\r\n\r\n\r\n")))).containsExactly("rsa-sha256 pass",
                "ed25519-sha256 pass");
        // The hash of the empty canonical body (RFC 6376 §3.4.4: relaxed leaves nothing, not a CRLF)
        assertThat(sign(bytes(header + "\r\n")).getFirst().replace("\r\n\t", " "))
                .contains("bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;");
    }

    @Test
    void aMessageWithoutFromStillGetsFromOverSigned() throws Exception {
        String message = "Subject: no from\r\n\r\nbody\r\n";
        assertThat(sign(bytes(message)).getFirst().replace("\r\n\t", "")).contains("h=subject:from;");
        assertThat(verify(signed(bytes(message)))).containsExactly("rsa-sha256 pass", "ed25519-sha256 pass");
    }

    @Test
    void aLargeBodyIsStreamed() throws Exception {
        // 3 MB in 60-byte lines, produced on the fly; also checked by dkimpy.
        String head = "From: jane@example.org\r\nSubject: big\r\n\r\n";
        long lines = 50_000;
        InputStream big = new InputStream() {
            final byte[] headBytes = bytes(head);
            final byte[] line = bytes("0123456789 abcdefghijklmnopqrstuvwxyz  ABCDEFGHIJKLMNOPQR\t\r\n");
            long position;
            final long size = headBytes.length + lines * line.length;

            @Override
            public int read() {
                if (position >= size) {
                    return -1;
                }
                long p = position++;
                return (p < headBytes.length ? headBytes[(int) p] : line[(int) ((p - headBytes.length)
                        % line.length)]) & 0xff;
            }
        };
        List<String> fields = new DkimSigner(CLOCK).sign(big, keys);
        var message = new ByteArrayOutputStream();
        for (String field : fields) {
            message.writeBytes(bytes(field + "\r\n"));
        }
        message.writeBytes(bytes(head));
        String line = "0123456789 abcdefghijklmnopqrstuvwxyz  ABCDEFGHIJKLMNOPQR\t\r\n";
        message.writeBytes(bytes(line.repeat((int) lines)));
        assertThat(verify(message.toByteArray())).containsExactly("rsa-sha256 pass", "ed25519-sha256 pass");
    }

    @Test
    void noKeysNoSignatures() throws IOException {
        assertThat(new DkimSigner(CLOCK).sign(new ByteArrayInputStream(bytes(MESSAGE)), List.of())).isEmpty();
    }

    @Test
    void theSignatureValueIsFoldedInsideB() throws IOException {
        String rsa = sign(bytes(MESSAGE)).getFirst();
        Matcher b = Pattern.compile("b=([A-Za-z0-9+/=\\s]+)$").matcher(rsa);
        assertThat(b.find()).isTrue();
        // RSA 2048: 256 bytes, 344 base64 characters
        assertThat(b.group(1).replaceAll("\\s", "")).hasSize(344);
    }
}

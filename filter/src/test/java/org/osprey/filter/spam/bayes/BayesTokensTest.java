package org.osprey.filter.spam.bayes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.osprey.filter.mail.ParsedMessage;

class BayesTokensTest {
    private static final String HEADER = """
        From: Alice <alice@example.org>
        To: bob@example.net
        Subject: Lunch
        Message-ID: <1@example.org>
        """;

    private static Set<Long> tokens(String message) throws IOException {
        ParsedMessage parsed = ParsedMessage.parse(
            new ByteArrayInputStream(message.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)), 1 << 20);
        Set<Long> set = new HashSet<>();
        Arrays.stream(Bayes.tokens(parsed)).forEach(set::add);
        return set;
    }

    @Test
    void aWordInCapitalsIsAlsoATokenOfItsOwn() throws IOException {
        Set<Long> lower = tokens(HEADER + "\nget it free today\n");
        Set<Long> title = tokens(HEADER + "\nGet it Free today\n");
        Set<Long> shouted = tokens(HEADER + "\nget it FREE today\n");
        assertThat(title).isEqualTo(lower);
        assertThat(shouted).containsAll(lower).hasSize(lower.size() + 1);
        // too short to shout, and digits are not capitals
        assertThat(tokens(HEADER + "\nget it OK today A4X\n")).hasSize(tokens(HEADER + "\nget it ok today a4x\n").size());
    }

    @Test
    void partTypesAttachmentExtensionsAndMimeProblemsAreTokens() throws IOException {
        String plain = HEADER + "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
            + "--b\nContent-Type: text/plain\n\nsee attached\n"
            + "--b\nContent-Type: application/pdf; name=\"a.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERg==\n--b--\n";
        Set<Long> pdf = tokens(plain);
        Set<Long> zip = tokens(plain.replace("application/pdf; name=\"a.pdf\"", "application/zip; name=\"a.zip\""));
        assertThat(zip).hasSameSizeAs(pdf).isNotEqualTo(pdf);
        Set<Long> unclosed = tokens(plain.replace("--b--\n", ""));
        assertThat(unclosed).containsAll(pdf).hasSize(pdf.size() + 1);
    }

    @Test
    void relaysAreTokensByAddressPrefixAndNameSuffix() throws IOException {
        String ours = "Received: from mx.example.net by mx.osprey.test; Fri, 4 Dec 2026 12:00:02 +0100\n";
        String relay = "Received: from helo.example.org (mail.sub.example.org [198.51.100.7]) by mx.example.net;"
            + " Fri, 4 Dec 2026 12:00:01 +0100\n";
        Set<Long> base = tokens(ours + relay + HEADER + "\nhello\n");
        // another /24 in the same /16: only the /24 token differs
        Set<Long> neighbour = tokens(ours + relay.replace("198.51.100.7", "198.51.101.7") + HEADER + "\nhello\n");
        assertThat(neighbour).hasSameSizeAs(base);
        Set<Long> shared = new HashSet<>(base);
        shared.retainAll(neighbour);
        assertThat(shared).hasSize(base.size() - 1);
        // a client without reverse DNS is a token of its own; our own line (the first) is not mined
        Set<Long> unknown = tokens(ours + relay.replace("mail.sub.example.org", "unknown") + HEADER + "\nhello\n");
        assertThat(unknown).isNotEqualTo(base);
        assertThat(tokens(ours.replace("mx.example.net", "other.example.com") + relay + HEADER + "\nhello\n"))
            .isEqualTo(base);
    }

    @Test
    void theDomainsOfAddressesInTheTextAreTokens() throws IOException {
        Set<Long> plain = tokens(HEADER + "\nwrite to me\n");
        Set<Long> one = tokens(HEADER + "\nwrite to me at reply@collector.example.net.\n");
        Set<Long> other = tokens(HEADER + "\nwrite to me at reply@other.example.com.\n");
        assertThat(one).containsAll(plain);
        // the words reply, collector/other, example, net/com, and the domain
        assertThat(one).hasSize(plain.size() + 5).hasSameSizeAs(other).isNotEqualTo(other);
        assertThat(tokens(HEADER + "\nwrite to me @ noon, or to @handle\n")).hasSize(plain.size() + 2);
        // an @ first in the text does not hide the addresses after it
        assertThat(tokens(HEADER + "\n@team: write to me at reply@collector.example.net.\n"))
            .containsAll(one).hasSize(one.size() + 1);
    }

    @Test
    void hostileAddressesAreReadInLinearTime() throws IOException {
        long start = System.nanoTime();
        tokens(HEADER + "\nx@" + ".".repeat(200_000) + "x and a@" + "@".repeat(100_000) + "\n");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(2));
    }
}

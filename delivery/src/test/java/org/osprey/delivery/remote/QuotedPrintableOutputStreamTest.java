package org.osprey.delivery.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.junit.jupiter.api.Test;

class QuotedPrintableOutputStreamTest {

    @Test
    void encodesWhatMustBeEncoded() throws IOException {
        assertThat(encode("Grüße = 1\r\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("Gr=C3=BC=C3=9Fe =3D 1\r\n");
    }

    @Test
    void whiteSpaceBeforeALineBreakOrTheEndIsEncoded() throws IOException {
        assertThat(encode(ascii("a \r\nb\t\r\nc d \t"))).isEqualTo("a=20\r\nb=09\r\nc d =09");
    }

    @Test
    void bareCrAndLfAreOctetsNotLineBreaks() throws IOException {
        assertThat(encode(ascii("a\rb\nc\r"))).isEqualTo("a=0Db=0Ac=0D");
    }

    @Test
    void longLinesAreBrokenSoftly() throws IOException {
        String encoded = encode(ascii("x".repeat(200) + "\r\n" + "é".repeat(100)));
        for (String line : encoded.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(76);
        }
        assertThat(decode(encoded)).isEqualTo(ascii("x".repeat(200) + "\r\n" + "é".repeat(100)));
    }

    @Test
    void randomBytesSurviveTheRoundTripAsSevenBitShortLines() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            byte[] data = new byte[random.nextInt(600)];
            for (int i = 0; i < data.length; i++) {
                // plenty of CR, LF, space and '=' so that every rule is met often
                int pick = random.nextInt(10);
                data[i] = (byte) switch (pick) {
                    case 0 -> '\r';
                    case 1 -> '\n';
                    case 2 -> ' ';
                    case 3 -> '=';
                    default -> random.nextInt(256);
                };
            }
            String encoded = encode(data);
            assertThat(encoded.chars().allMatch(c -> c < 128)).isTrue();
            for (String line : encoded.split("\r\n", -1)) {
                assertThat(line.length()).isLessThanOrEqualTo(76);
                assertThat(line).doesNotEndWith(" ").doesNotEndWith("\t").doesNotContain("\r").doesNotContain("\n");
            }
            assertThat(decode(encoded)).as("round %d", round).isEqualTo(data);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String encode(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        QuotedPrintableOutputStream qp = new QuotedPrintableOutputStream(out);
        qp.write(data);
        qp.finish();
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static byte[] decode(String encoded) throws IOException {
        try (var in = new QuotedPrintableInputStream(
                new ByteArrayInputStream(encoded.getBytes(StandardCharsets.US_ASCII)), true)) {
            return in.readAllBytes();
        }
    }
}

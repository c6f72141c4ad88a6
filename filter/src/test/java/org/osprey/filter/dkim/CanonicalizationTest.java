package org.osprey.filter.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both canonicalizations of RFC 6376 §3.4, against the RFC's examples and against dkimpy on random input. */
class CanonicalizationTest {
    @TempDir
    Path tmp;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String body(String input) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var body = new RelaxedBody(out)) {
            body.write(bytes(input));
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String header(String field) {
        return text(RelaxedHeader.canonicalize(bytes(field)));
    }

    private static String simpleBody(String input) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var body = Canonicalization.SIMPLE.body(out)) {
            body.write(bytes(input));
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void rfc6376Section345SimpleExample() throws IOException {
        // Simple leaves header fields exactly as they are, folds and white space included.
        assertThat(text(Canonicalization.SIMPLE.header(bytes("B : Y\t\r\n\tZ  ")))).isEqualTo("B : Y\t\r\n\tZ  ");
        // Its body keeps all white space; only the two trailing empty lines go.
        assertThat(simpleBody(" C \r\nD \t E\r\n\r\n\r\n")).isEqualTo(" C \r\nD \t E\r\n");
    }

    @Test
    void simpleMakesAnEmptyBodyOneLineEndAndEndsEveryBodyWithOne() throws IOException {
        assertThat(simpleBody("")).isEqualTo("\r\n");
        assertThat(simpleBody("\r\n\r\n")).isEqualTo("\r\n");
        assertThat(simpleBody("no line end")).isEqualTo("no line end\r\n");
        assertThat(simpleBody("a\r\n\r\nb\r\n \r\n")).as("a line of spaces is not empty")
                .isEqualTo("a\r\n\r\nb\r\n \r\n");
        assertThat(simpleBody("x\ry\r")).as("a bare CR is content").isEqualTo("x\ry\r\r\n");
    }

    @Test
    void simpleBodyComesOutTheSameHoweverTheBytesArrive() throws IOException {
        String input = "a \r\n\r\nb\r\r\n\r\n";
        for (int split = 0; split <= input.length(); split++) {
            var out = new ByteArrayOutputStream();
            try (var body = Canonicalization.SIMPLE.body(out)) {
                body.write(bytes(input.substring(0, split)));
                for (byte b : bytes(input.substring(split))) {
                    body.write(b);
                }
            }
            assertThat(out.toString(StandardCharsets.ISO_8859_1)).as("split at %d", split)
                    .isEqualTo("a \r\n\r\nb\r\r\n");
        }
    }

    @Test
    void rfc6376Section345Example() throws IOException {
        // The header of the example: "A: X", then "B : Y<TAB>" folded onto "<TAB>Z  ".
        assertThat(header("A: X")).isEqualTo("a:X");
        assertThat(header("B : Y\t\r\n\tZ  ")).isEqualTo("b:Y Z");
        // Its body: " C ", "D <TAB> E", then two empty lines.
        assertThat(body(" C \r\nD \t E\r\n\r\n\r\n")).isEqualTo(" C\r\nD E\r\n");
    }

    @Test
    void theExampleBodyComesOutTheSameHoweverTheBytesArrive() throws IOException {
        String input = " C \r\nD \t E\r\n\r\n\r\n";
        for (int split = 0; split <= input.length(); split++) {
            var out = new ByteArrayOutputStream();
            try (var body = new RelaxedBody(out)) {
                body.write(bytes(input.substring(0, split)));
                for (byte b : bytes(input.substring(split))) {
                    body.write(b);
                }
            }
            assertThat(out.toString(StandardCharsets.ISO_8859_1)).as("split at %d", split)
                    .isEqualTo(" C\r\nD E\r\n");
        }
    }

    @Test
    void emptyBodiesStayEmptyUnlikeSimpleCanonicalization() throws IOException {
        // RFC 6376 §3.4.4: relaxed ignores all trailing empty lines, so nothing is left (simple would give CRLF).
        assertThat(body("")).isEmpty();
        assertThat(body("\r\n")).isEmpty();
        assertThat(body("\r\n\r\n \t \r\n")).isEmpty();
    }

    @Test
    void aBodyWithoutFinalLineEndGetsOne() throws IOException {
        assertThat(body("last line")).isEqualTo("last line\r\n");
        assertThat(body("a\r\n\r\nb")).isEqualTo("a\r\n\r\nb\r\n");
    }

    @Test
    void emptyLinesInsideTheBodyStayAndWhiteSpaceOnlyLinesBecomeEmpty() throws IOException {
        assertThat(body("a\r\n\r\n   \r\n\tb  \r\n\r\n")).isEqualTo("a\r\n\r\n\r\n b\r\n");
    }

    @Test
    void eightBitBytesAndBareCrAreContent() throws IOException {
        assertThat(body("gr\u00fc\u00dfe  \u00ff\r\nx\ry\r\n")).isEqualTo("gr\u00fc\u00dfe \u00ff\r\nx\ry\r\n");
    }

    @Test
    void headerValuesAreUnfoldedAndTrimmedButKeepTheirCase() {
        assertThat(header("Subject:   Hello   World \t")).isEqualTo("subject:Hello World");
        assertThat(header("SUBJECT:\r\n  folded\r\n\tacross\r\n lines")).isEqualTo("subject:folded across lines");
        assertThat(header("To:")).isEqualTo("to:");
        assertThat(header("X-Colons: a:b : c")).isEqualTo("x-colons:a:b : c");
    }

    /** Random bodies and header fields, canonicalized by us and by dkimpy: the bytes must be the same. */
    @Test
    void agreesWithDkimpyOnRandomInput() throws Exception {
        var random = new Random(6376);
        String[] bodyPieces = {"a", "Z", " ", "  ", "\t", "\r\n", "\r\n", ".", "\u00e9", "\u00ff", " \t "};
        var bodies = new ArrayList<byte[]>();
        for (int i = 0; i < 400; i++) {
            var sb = new StringBuilder();
            int n = random.nextInt(30);
            for (int j = 0; j < n; j++) {
                sb.append(bodyPieces[random.nextInt(bodyPieces.length)]);
            }
            if (!sb.isEmpty() && !sb.toString().endsWith("\r\n")) {
                sb.append("\r\n"); // bodies arriving over SMTP always end with CRLF
            }
            bodies.add(bytes(sb.toString()));
        }
        List<byte[]> expected = Dkimpy.canonicalize(tmp, "body", "relaxed", bodies);
        for (int i = 0; i < bodies.size(); i++) {
            var out = new ByteArrayOutputStream();
            try (var body = new RelaxedBody(out)) {
                body.write(bodies.get(i));
            }
            assertThat(text(out.toByteArray())).as("body %s", text(bodies.get(i)).replace("\r\n", "<CRLF>"))
                    .isEqualTo(text(expected.get(i)));
        }

        String[] valuePieces = {"v", "Q", " ", "\t", "   ", "\r\n ", "\r\n\t", ":", "\u00c3\u00a9", "=?utf-8?q?x?="};
        String[] names = {"Subject", "to", "X-Mixed-Case", "Subject ", "From\t"};
        var fields = new ArrayList<byte[]>();
        for (int i = 0; i < 400; i++) {
            var sb = new StringBuilder(names[random.nextInt(names.length)]).append(':');
            int n = random.nextInt(12);
            for (int j = 0; j < n; j++) {
                sb.append(valuePieces[random.nextInt(valuePieces.length)]);
            }
            fields.add(bytes(sb.toString()));
        }
        List<byte[]> expectedFields = Dkimpy.canonicalize(tmp, "header", "relaxed", fields);
        for (int i = 0; i < fields.size(); i++) {
            assertThat(header(text(fields.get(i)))).as("field %s", text(fields.get(i)).replace("\r\n", "<CRLF>"))
                    .isEqualTo(text(expectedFields.get(i)));
        }
        List<byte[]> simpleBodies = Dkimpy.canonicalize(tmp, "body", "simple", bodies);
        for (int i = 0; i < bodies.size(); i++) {
            assertThat(simpleBody(text(bodies.get(i)))).as("simple body %s", text(bodies.get(i))
                    .replace("\r\n", "<CRLF>")).isEqualTo(text(simpleBodies.get(i)));
        }
        List<byte[]> simpleFields = Dkimpy.canonicalize(tmp, "header", "simple", fields);
        for (int i = 0; i < fields.size(); i++) {
            assertThat(text(Canonicalization.SIMPLE.header(fields.get(i)))).isEqualTo(text(simpleFields.get(i)));
        }
    }
}
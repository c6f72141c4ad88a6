package org.osprey.delivery.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;
import org.junit.jupiter.api.Test;

class MimeDowngradeTest {
    private static final String LONG = "x".repeat(200);

    @Test
    void eightBitLeavesAreEncodedAndEverythingElseIsKept() throws Exception {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i == '\r' || i == '\n' || i == '-' ? 'a' : i);
        }
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.write(utf8("""
            From: a@example.org\r
            Subject: test\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed;\r
             boundary="outer"\r
            Content-Transfer-Encoding: 8bit\r
            \r
            This is the preamble.\r
            --outer\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 8bit\r
            \r
            Grüße aus Köln\r
            .a line with a dot\r
            """ + LONG + "\r\n" + """
            --outer\r
            Content-Type: text/html; charset=us-ascii\r
            \r
            <p>plain ascii</p>\r
            --outer\r
            Content-Type: application/octet-stream\r
            Content-Transfer-Encoding: binary\r
            \r
            """));
        message.write(binary);
        message.write(utf8("""
            \r
            --outer\r
            Content-Type: message/rfc822\r
            Content-Transfer-Encoding: 8bit\r
            \r
            Subject: inner\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 8bit\r
            \r
            Ünïcödé inside\r
            --outer--\r
            The epilogue.\r
            """));
        byte[] original = message.toByteArray();

        MimeDowngrade.Scan scan = MimeDowngrade.scan(new ByteArrayInputStream(original));
        assertThat(scan.clean()).isFalse();
        byte[] converted = convert(original, scan);
        String text = new String(converted, StandardCharsets.US_ASCII);

        assertThat(isSevenBit(converted)).isTrue();
        assertThat(leaves(converted)).isEqualTo(leaves(original));
        assertThat(text).startsWith("From: a@example.org\r\nSubject: test\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed;\r\n boundary=\"outer\"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
            + "This is the preamble.\r\n--outer\r\n");
        assertThat(text).contains("Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe aus K=C3=B6ln\r\n");
        // the clean part goes out as it came
        assertThat(text).contains("--outer\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n"
            + "<p>plain ascii</p>\r\n--outer\r\n");
        assertThat(text).contains("Content-Type: application/octet-stream\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n");
        assertThat(text).contains("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
            + "Subject: inner\r\nContent-Type: text/plain; charset=utf-8\r\n"
            // a message that needs a transfer encoding needs MIME-Version too (RFC 2045 §4)
            + "MIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "=C3=9Cn=C3=AFc=C3=B6d=C3=A9 inside");
        assertThat(text).endsWith("--outer--\r\nThe epilogue.\r\n");
        for (String line : text.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(998);
        }
    }

    @Test
    void aMessageWithoutMimeHeadersGetsThemWithTheCharsetItUses() throws Exception {
        byte[] utf8 = utf8("Subject: hi\r\n\r\nGrüße\r\n");
        String converted = new String(convert(utf8, MimeDowngrade.scan(new ByteArrayInputStream(utf8))),
            StandardCharsets.US_ASCII);
        assertThat(converted).isEqualTo("Subject: hi\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "Gr=C3=BC=C3=9Fe\r\n");

        byte[] latin1 = "Subject: hi\r\n\r\nGr\u00fc\u00dfe\r\n".getBytes(StandardCharsets.ISO_8859_1);
        String latin = new String(convert(latin1, MimeDowngrade.scan(new ByteArrayInputStream(latin1))),
            StandardCharsets.US_ASCII);
        assertThat(latin).contains("Content-Type: text/plain; charset=unknown-8bit\r\n").endsWith("Gr=FC=DFe\r\n");
    }

    @Test
    void aMessageDeclared8bitThatIsSevenBitCleanNeedsNothing() throws Exception {
        byte[] message = utf8("Subject: hi\r\nContent-Transfer-Encoding: 8bit\r\n\r\nplain\r\n");
        assertThat(MimeDowngrade.scan(new ByteArrayInputStream(message)).clean()).isTrue();
    }

    @Test
    void encodedPartsAreLeftAlone() throws Exception {
        byte[] message = utf8("""
            Content-Type: multipart/alternative; boundary=b\r
            \r
            --b\r
            Content-Type: text/plain\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            caf=C3=A9\r
            --b\r
            Content-Type: text/html; charset=utf-8\r
            \r
            <p>café</p>\r
            --b--\r
            """);
        byte[] converted = convert(message, MimeDowngrade.scan(new ByteArrayInputStream(message)));
        String text = new String(converted, StandardCharsets.US_ASCII);
        assertThat(text).contains("Content-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9\r\n--b\r\n");
        assertThat(text).contains("Content-Type: text/html; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n\r\n<p>caf=C3=A9</p>\r\n--b--");
        assertThat(leaves(converted)).isEqualTo(leaves(message));
    }

    private static byte[] convert(byte[] message, MimeDowngrade.Scan scan) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MimeDowngrade.write(new ByteArrayInputStream(message), scan, out);
        return out.toByteArray();
    }

    /** Every leaf's type and decoded content, embedded messages included. */
    private static List<String> leaves(byte[] message) throws IOException, MimeException {
        MimeTokenStream stream = new MimeTokenStream(MimeConfig.PERMISSIVE);
        stream.setRecursionMode(RecursionMode.M_RECURSE);
        stream.parse(new ByteArrayInputStream(message));
        List<String> leaves = new ArrayList<>();
        for (EntityState s = stream.getState(); s != EntityState.T_END_OF_STREAM; s = stream.next()) {
            if (s == EntityState.T_BODY) {
                byte[] content = stream.getDecodedInputStream().readAllBytes();
                leaves.add(stream.getBodyDescriptor().getMimeType() + " " + HexFormat.of().formatHex(content));
            }
        }
        return leaves;
    }

    private static boolean isSevenBit(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

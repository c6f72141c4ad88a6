package org.osprey.store.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MessageTextTest {

    static MessageText extract(String message) throws IOException {
        return MessageText.extract(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)));
    }

    static MessageText extractUtf8(String message) throws IOException {
        return MessageText.extract(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void headerValuesAreDecodedAndBodyIsText() throws Exception {
        MessageText text = extractUtf8("""
                From: =?ISO-8859-1?Q?J=F6rg_M=FCller?= <jm@example.org>
                Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=
                  and more

                Plain body, caf\u00e9.
                """);
        assertThat(text.header()).contains("Jörg Müller <jm@example.org>");
        assertThat(text.header()).anySatisfy(v -> assertThat(v).startsWith("Grüße aus Köln").contains("and more"));
        assertThat(text.body()).containsExactly("Plain body, café.\n");
    }

    @Test
    void quotedPrintableAndBase64PartsAreDecodedInTheirCharsets() throws Exception {
        String latin = Base64.getEncoder().encodeToString("Stra\u00dfe in M\u00fcnchen".getBytes(
                StandardCharsets.ISO_8859_1));
        MessageText text = extract("""
                Subject: parts
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b1"

                preamble is not text
                --b1
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                caf=C3=A9 au lait, soft=
                 break
                --b1
                Content-Type: text/plain; charset=iso-8859-1
                Content-Transfer-Encoding: base64

                %s
                --b1
                Content-Type: image/png
                Content-Transfer-Encoding: base64

                iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk
                --b1--
                """.formatted(latin));
        assertThat(text.body()).hasSize(2);
        assertThat(text.body().get(0)).contains("café au lait, soft break");
        assertThat(text.body().get(1)).isEqualTo("Straße in München");
        assertThat(String.join(" ", text.body())).doesNotContain("preamble").doesNotContain("iVBOR");
        assertThat(text.header()).containsExactly("parts", "1.0", "multipart/mixed; boundary=\"b1\"");
    }

    @Test
    void htmlIsReducedToText() throws Exception {
        MessageText text = extractUtf8("""
                Content-Type: text/html; charset=utf-8

                <html><head><style>p { color: red }</style><script>var hidden = 1;</script></head>
                <body><p>Caf&eacute; &amp; <b>cr&#232;me</b>&nbsp;br&ucirc;l&#xE9;e</p><!-- a comment -->
                <a href="x>y">link</a> a &lt; b</body></html>
                """);
        assertThat(text.body()).hasSize(1);
        String body = text.body().getFirst();
        assertThat(body).contains("Café & crème brûlée").contains("link").contains("a < b");
        assertThat(body).doesNotContain("color").doesNotContain("hidden").doesNotContain("comment")
                .doesNotContain("href");
    }

    @Test
    void attachedMessagesAreEnteredWithTheirHeaders() throws Exception {
        MessageText text = extractUtf8("""
                Subject: outer
                Content-Type: multipart/mixed; boundary=xx

                --xx
                Content-Type: text/plain

                see attached
                --xx
                Content-Type: message/rfc822

                Subject: =?utf-8?q?inner_subj=C3=A9ct?=
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: base64

                %s
                --xx--
                """.formatted(Base64.getEncoder().encodeToString("inner body text".getBytes(StandardCharsets.UTF_8))));
        assertThat(text.header()).contains("outer");
        assertThat(text.header()).doesNotContain("inner subjéct");
        assertThat(text.body()).contains("inner subjéct", "inner body text");
        assertThat(text.body()).anySatisfy(b -> assertThat(b).contains("see attached"));
    }

    @Test
    void textIsCappedAtOneMebiChars() throws Exception {
        String big = "word ".repeat(300_000); // 1.5 M characters
        MessageText text = extract("Subject: big\n\n" + big + "\n");
        int total = text.header().stream().mapToInt(String::length).sum()
                + text.body().stream().mapToInt(String::length).sum();
        assertThat(total).isEqualTo(MessageText.MAX_CHARS);
    }

    @Test
    void malformedMimeGivesWhatWasFound() throws Exception {
        MessageText text = extract("""
                Subject: broken
                Content-Type: multipart/mixed; boundary=never

                no boundary ever comes
                """);
        assertThat(text.header()).contains("broken");
    }
}

package org.osprey.filter.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ParsedMessageTest {
    private static final long NO_LIMIT = 10L * 1024 * 1024;

    private static ParsedMessage parse(String message) throws IOException {
        return parse(message.getBytes(StandardCharsets.UTF_8), NO_LIMIT);
    }

    private static ParsedMessage parse(byte[] message, long limit) throws IOException {
        return ParsedMessage.parse(new ByteArrayInputStream(message), limit);
    }

    private static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    @Test
    void plainMessage() throws IOException {
        ParsedMessage m = parse(crlf("""
            From: Alice <alice@example.org>
            To: bob@example.net
            Subject: lunch
            Date: Fri, 4 Dec 2026 12:00:00 +0100
            Message-ID: <abc@example.org>

            Shall we meet at noon? The menu is at https://example.org/menu.
            Alice
            """));
        assertThat(m.header().value("From")).contains("Alice <alice@example.org>");
        assertThat(m.decodedHeader("Subject")).isEqualTo("lunch");
        assertThat(m.decodedHeader("Reply-To")).isEmpty();
        assertThat(m.textParts()).hasSize(1);
        assertThat(m.textParts().getFirst().html()).isFalse();
        assertThat(m.textParts().getFirst().contentType()).isEqualTo("text/plain");
        assertThat(m.textParts().getFirst().text()).contains("Shall we meet at noon?");
        assertThat(m.links()).containsExactly(new ParsedMessage.Link("https://example.org/menu", ""));
        assertThat(m.attachments()).isEmpty();
        assertThat(m.problems()).isEmpty();
        assertThat(m.truncated()).isFalse();
    }

    @Test
    void multipartAlternativeWithQuotedPrintableAndBase64() throws IOException {
        String html = "<html><head><title>T</title><style>p{color:red}</style><script>var x=1;</script></head>"
            + "<body><p>Caf\u00e9 <b>news</b></p><a href=\"https://shop.example.com/x\">Visit the shop</a>"
            + "<img src=\"cid:logo\"></body></html>";
        String base64 = Base64.getMimeEncoder().encodeToString(html.getBytes(StandardCharsets.UTF_8));
        ParsedMessage m = parse(crlf("""
            From: news@example.com
            Subject: =?UTF-8?Q?Caf=C3=A9_news?=
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary="alt"

            --alt
            Content-Type: text/plain; charset=UTF-8
            Content-Transfer-Encoding: quoted-printable

            Caf=C3=A9 news, a long line that was soft=
             broken.
            --alt
            Content-Type: text/html; charset=utf-8
            Content-Transfer-Encoding: base64

            """ + base64 + """

            --alt--
            """));
        assertThat(m.decodedHeader("Subject")).isEqualTo("Café news");
        assertThat(m.textParts()).hasSize(2);
        assertThat(m.textParts().get(0).text()).contains("Café news, a long line that was soft broken.");
        ParsedMessage.TextPart htmlPart = m.textParts().get(1);
        assertThat(htmlPart.html()).isTrue();
        assertThat(htmlPart.contentType()).isEqualTo("text/html");
        assertThat(htmlPart.text()).contains("Café news").contains("Visit the shop")
            .doesNotContain("var x").doesNotContain("color:red").doesNotContain("T\n");
        assertThat(m.links()).containsExactly(new ParsedMessage.Link("https://shop.example.com/x", "Visit the shop"));
        assertThat(m.html().parts()).isEqualTo(1);
        assertThat(m.html().images()).isEqualTo(1);
        assertThat(m.html().scripts()).isEqualTo(1);
        assertThat(m.problems()).isEmpty();
    }

    @Test
    void nestedMultipartWithAttachmentsAndForwardedMessage() throws IOException {
        ParsedMessage m = parse(crlf("""
            From: a@example.org
            Content-Type: multipart/mixed; boundary="outer"

            preamble
            --outer
            Content-Type: multipart/alternative; boundary="inner"

            --inner
            Content-Type: text/plain

            plain body
            --inner
            Content-Type: text/html

            <p>html body</p>
            --inner--
            --outer
            Content-Type: application/pdf; name="report.pdf"
            Content-Disposition: attachment; filename="report.pdf"
            Content-Transfer-Encoding: base64

            JVBERi0xLjQK
            --outer
            Content-Type: message/rfc822

            From: c@example.net
            Subject: inner

            forwarded text
            --outer--
            epilogue
            """));
        assertThat(m.textParts()).extracting(ParsedMessage.TextPart::text)
            .containsExactly("plain body", "html body", "forwarded text");
        assertThat(m.attachments()).containsExactly(new ParsedMessage.Attachment("report.pdf", "application/pdf", 9));
        assertThat(m.problems()).isEmpty();
    }

    @Test
    void bareLineFeedsAsInMaildirFilesParseTheSame() throws IOException {
        String message = """
            From: a@example.org
            Subject: =?iso-8859-1?q?gr=FC=DFe?=
            Content-Type: multipart/mixed; boundary="outer"

            --outer
            Content-Type: text/html; charset=iso-8859-1
            Content-Transfer-Encoding: quoted-printable

            <p>gr=FC=DFe, see <a href=3D"https://example.org/a">the page</a></p>
            --outer
            Content-Type: application/zip; name=a.zip
            Content-Transfer-Encoding: base64

            UEsDBAoAAAAAAA==
            --outer--
            """;
        ParsedMessage lf = parse(message.getBytes(StandardCharsets.US_ASCII), NO_LIMIT);
        ParsedMessage crlf = parse(crlf(message));
        for (ParsedMessage m : new ParsedMessage[] {lf, crlf}) {
            assertThat(m.decodedHeader("Subject")).isEqualTo("grüße");
            assertThat(m.textParts()).extracting(ParsedMessage.TextPart::text).containsExactly("grüße, see the page");
            assertThat(m.links()).containsExactly(new ParsedMessage.Link("https://example.org/a", "the page"));
            assertThat(m.attachments()).containsExactly(new ParsedMessage.Attachment("a.zip", "application/zip", 10));
            assertThat(m.problems()).isEmpty();
        }
    }

    @Test
    void rfc2231AndRfc2047FileNames() throws IOException {
        ParsedMessage m = parse(crlf("""
            From: a@example.org
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: application/octet-stream
            Content-Disposition: attachment; filename*=utf-8''%E2%82%AC%20rates.xlsx

            xx
            --b
            Content-Type: application/octet-stream
            Content-Disposition: attachment; filename*0*=UTF-8''r%C3%A9; filename*1="sum\u00e9.doc"

            yy
            --b
            Content-Type: application/x-msdownload; name="=?UTF-8?B?w6kuZXhl?="

            zz
            --b--
            """));
        assertThat(m.attachments()).extracting(ParsedMessage.Attachment::filename)
            .containsExactly("€ rates.xlsx", "résumé.doc", "é.exe");
        assertThat(m.attachments().get(2).contentType()).isEqualTo("application/x-msdownload");
    }

    @Test
    void charsetsAreDecodedAndBrokenOnesFallBack() throws IOException {
        byte[] latin = crlf("""
            From: a@example.org
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain; charset=iso-8859-1

            caf\u00e9 cr\u00e8me
            --b
            Content-Type: text/plain; charset=x-no-such-charset

            na\u00efve
            --b
            Content-Type: text/plain

            r\u00e9sum\u00e9 without a charset
            --b
            Content-Type: text/plain; charset=koi8-r

            """).getBytes(StandardCharsets.ISO_8859_1);
        byte[] koi8 = "привет\r\n--b--\r\n".getBytes(Charset.forName("KOI8-R"));
        byte[] message = new byte[latin.length + koi8.length];
        System.arraycopy(latin, 0, message, 0, latin.length);
        System.arraycopy(koi8, 0, message, latin.length, koi8.length);
        ParsedMessage m = parse(message, NO_LIMIT);
        assertThat(m.textParts()).extracting(ParsedMessage.TextPart::text)
            .containsExactly("café crème", "naïve", "résumé without a charset", "привет");
        assertThat(m.problems()).containsExactly(ParsedMessage.UNKNOWN_CHARSET);
    }

    @Test
    void utf8DeclaredButLatin1BytesIsAMismatch() throws IOException {
        byte[] message = crlf("""
            From: a@example.org
            Content-Type: text/plain; charset=utf-8

            caf\u00e9
            """).getBytes(StandardCharsets.ISO_8859_1);
        ParsedMessage m = parse(message, NO_LIMIT);
        assertThat(m.textParts().getFirst().text()).isEqualTo("café\r\n");
        assertThat(m.problems()).containsExactly(ParsedMessage.CHARSET_MISMATCH);
    }

    @Test
    void htmlHiddenTextIsCountedNotShown() throws IOException {
        ParsedMessage m = parse(crlf("""
            From: a@example.org
            Content-Type: text/html; charset=utf-8

            <html><body>
            <p>Buy now</p>
            <div style="display: none">hidden words one</div>
            <span style="font-size:0px">tiny words</span>
            <font color="#ffffff">white words</font>
            <p style="visibility:hidden">invisible</p>
            <table bgcolor="#000000"><tr><td style="color:#fff">white on black is visible</td></tr></table>
            </body></html>
            """));
        String text = m.textParts().getFirst().text();
        assertThat(text).contains("Buy now").contains("white on black is visible")
            .doesNotContain("hidden words").doesNotContain("tiny words").doesNotContain("white words")
            .doesNotContain("invisible");
        assertThat(m.html().hiddenText()).isEqualTo("hiddenwordsonetinywordswhitewordsinvisible".length());
        assertThat(m.html().visibleText()).isEqualTo("Buynowwhiteonblackisvisible".length());
    }

    @Test
    void styleSheetBackgroundsMakeColoursUnknown() throws IOException {
        ParsedMessage m = parse(crlf("""
            From: a@example.org
            Content-Type: text/html

            <html><head><style>.dark{background:#000}</style></head>
            <body><div class="dark"><span style="color:#ffffff">white on a dark class</span></div></body></html>
            """));
        assertThat(m.textParts().getFirst().text()).contains("white on a dark class");
        assertThat(m.html().hiddenText()).isZero();
    }

    @Test
    void multipartWithoutBoundaryIsReadAsText() throws IOException {
        ParsedMessage m = parse(crlf("""
            From: a@example.org
            Content-Type: multipart/mixed

            just some text
            """));
        assertThat(m.problems()).containsExactly(ParsedMessage.NO_BOUNDARY);
        assertThat(m.textParts()).extracting(ParsedMessage.TextPart::text).containsExactly("just some text\r\n");
    }

    @Test
    void truncatedMimeIsAProblemButOurOwnLimitIsNot() throws IOException {
        String message = crlf("""
            From: a@example.org
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            first part
            --b
            Content-Type: text/plain

            second part, then the message ends without its closing boundary
            """);
        ParsedMessage cut = parse(message);
        assertThat(cut.problems()).containsExactly(ParsedMessage.MISSING_END_BOUNDARY);
        assertThat(cut.truncated()).isFalse();

        String whole = message + "--b--\r\n";
        byte[] bytes = whole.getBytes(StandardCharsets.US_ASCII);
        ParsedMessage limited = parse(bytes, bytes.length - 30);
        assertThat(limited.truncated()).isTrue();
        assertThat(limited.problems()).isEmpty();
        assertThat(limited.textParts()).extracting(ParsedMessage.TextPart::text).first().isEqualTo("first part");
    }

    @Test
    void badEncodingsAndHeadersAreRecorded() throws IOException {
        ParsedMessage m = parse(crlf("""
            From: a@example.org
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain
            Content-Transfer-Encoding: base64

            aGVsbG8g*d29y!bGQ=
            --b
            Content-Type: text/plain
            Content-Transfer-Encoding: x-uuencode
            this line is no header field
            X-Ok: yes

            body
            --b
            Content-Type: multipart/related; boundary=empty

            --b--
            """));
        assertThat(m.textParts().getFirst().text()).isEqualTo("hello world");
        assertThat(m.problems()).contains(ParsedMessage.BAD_BASE64, ParsedMessage.UNKNOWN_ENCODING,
            ParsedMessage.MALFORMED_HEADER, ParsedMessage.EMPTY_MULTIPART);
    }

    @Test
    void rawEightBitHeaders() throws IOException {
        byte[] latin = crlf("From: a@example.org\nSubject: Gr\u00fc\u00dfe\n\nhi\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(parse(latin, NO_LIMIT).problems()).containsExactly(ParsedMessage.RAW_8BIT_HEADER);
        byte[] utf8 = crlf("From: a@example.org\nSubject: Gr\u00fc\u00dfe\n\nhi\n").getBytes(StandardCharsets.UTF_8);
        ParsedMessage m = parse(utf8, NO_LIMIT);
        assertThat(m.problems()).isEmpty();
        assertThat(m.decodedHeader("subject")).isEqualTo("Grüße");
    }

    @Test
    void garbageNeverThrows() throws IOException {
        String[] inputs = {"", "\r\n", "no header at all", "Content-Type: multipart/mixed; boundary=\"\r\n\r\n--\r\n",
            "Content-Type: text/html\r\n\r\n<<<<>>><a href=>", "Content-Type: ;;;==\r\n\r\nx",
            "Content-Disposition: attachment; filename*=bogus''%ZZ\r\nContent-Type: application/x\r\n\r\nx",
            "Subject: =?utf-8?B?####?=\r\n\r\n"};
        for (String input : inputs) {
            ParsedMessage m = parse(input);
            assertThat(m).isNotNull();
            m.decodedHeader("Subject");
        }
        StringBuilder deep = new StringBuilder("Content-Type: multipart/mixed; boundary=b0\r\n\r\n");
        for (int i = 1; i < 40; i++) {
            deep.append("--b").append(i - 1).append("\r\nContent-Type: multipart/mixed; boundary=b").append(i)
                .append("\r\n\r\n");
        }
        assertThat(parse(deep.toString()).problems()).contains(ParsedMessage.TOO_DEEP);
    }

    @Test
    void plainTextUrlsAndWwwAddresses() {
        assertThat(PlainUrls.find("see www.example.com/page, or (https://a.example.net/x?y=1). http://"))
            .containsExactly("www.example.com/page", "https://a.example.net/x?y=1");
    }
}

package org.osprey.imap.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.osprey.imap.parse.Section;
import org.osprey.imap.parse.Section.Kind;

/**
 * ImapMessage on the samples in {@code samples/} and on generated input. The literal ENVELOPE and BODYSTRUCTURE
 * strings marked "Dovecot 2.3.19" were answered by Dovecot 2.3.19.1 for the same files (see
 * {@link ImapMessageDovecotTest} for the full comparison); they are compared as IMAP data, so quoting style does
 * not matter.
 */
class ImapMessageTest {

    static ImapMessage sample(String name) throws IOException {
        return ImapMessage.parse(ImapMessageDovecotTest.sample(name));
    }

    static ImapMessage message(String lfText) {
        return ImapMessage.parse(lfText.getBytes(StandardCharsets.UTF_8));
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static String section(ImapMessage m, String path, Kind kind, String... fields) {
        List<Integer> part = new ArrayList<>();
        if (!path.isEmpty()) {
            for (String n : path.split("\\.")) {
                part.add(Integer.parseInt(n));
            }
        }
        return text(m.section(new Section(part, kind, List.of(fields))));
    }

    static void assertImapEquals(byte[] ours, String expected) {
        assertThat(ImapValue.canonical(ours)).isEqualTo(ImapValue.canonical(expected));
    }

    // ---- ENVELOPE and BODYSTRUCTURE, with Dovecot's answers

    @Test
    void simpleText() throws IOException {
        ImapMessage m = sample("01-simple.eml");
        // Dovecot 2.3.19
        assertImapEquals(m.envelope(), "(\"Tue, 14 Jan 2025 10:11:58 +0100\" \"Lunch on Friday?\" "
                + "((\"Alice Example\" NIL \"alice\" \"example.org\")) ((\"Alice Example\" NIL \"alice\" "
                + "\"example.org\")) ((\"Alice Example\" NIL \"alice\" \"example.org\")) ((\"Bob\" NIL \"bob\" "
                + "\"example.net\")(NIL NIL \"carol\" \"example.net\")) ((\"Dave \\\"the\\\" Admin\" NIL \"dave\" "
                + "\"example.com\")) NIL \"<prev-1@example.net>\" \"<20250114091158.GA1234@example.org>\")");
        assertImapEquals(m.bodyStructure(true), "(\"text\" \"plain\" (\"charset\" \"utf-8\" \"format\" "
                + "\"flowed\") NIL NIL \"8bit\" 80 5 NIL NIL NIL NIL)");
        assertImapEquals(m.bodyStructure(false), "(\"text\" \"plain\" (\"charset\" \"utf-8\" \"format\" "
                + "\"flowed\") NIL NIL \"8bit\" 80 5)");
        assertThat(m.crlfBytes()).hasSize(665); // Dovecot's RFC822.SIZE
        assertThat(m.preview()).isEqualTo("Hi Bob, are you free for lunch on Friday? The café opens at noon. Alice");
    }

    @Test
    void nestedMessageRfc822() throws IOException {
        ImapMessage m = sample("04-nested-rfc822.eml");
        // Dovecot 2.3.19
        assertImapEquals(m.bodyStructure(true), "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" "
                + "34 1 NIL NIL NIL NIL)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 421 (\"Thu, 16 Jan 2025 "
                + "18:00:00 +0100\" \"Meeting notes\" ((\"Ivan\" NIL \"ivan\" \"example.org\")) ((\"Ivan\" NIL "
                + "\"ivan\" \"example.org\")) ((\"Ivan\" NIL \"ivan\" \"example.org\")) ((\"Grace\" NIL \"grace\" "
                + "\"example.net\")) NIL NIL NIL \"<notes-1@example.org>\") ((\"text\" \"plain\" (\"charset\" "
                + "\"us-ascii\") NIL NIL \"7bit\" 22 2 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" \"us-ascii\") "
                + "NIL NIL \"7bit\" 41 1 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"inner\") NIL NIL NIL) 20 "
                + "NIL (\"inline\" NIL) NIL NIL) \"mixed\" (\"boundary\" \"outer\") NIL NIL NIL)");
    }

    @Test
    void groupsRoutesAndEncodedWordsAsTheyAre() throws IOException {
        // Dovecot 2.3.19: encoded-words are not decoded; groups get start and end markers
        assertImapEquals(sample("05-groups.eml").envelope(), "(\"1 Feb 2025 12:00 GMT\" \"Groups and routes\" "
                + "((\"=?ISO-8859-1?Q?J=F6rg?= Meier\" NIL \"joerg\" \"example.de\")) ((NIL NIL \"list-bounces\" "
                + "\"lists.example.org\")) ((NIL NIL \"Team\" NIL)(NIL NIL \"alice\" \"example.org\")(\"Bob B.\" NIL "
                + "\"bob\" \"example.net\")(NIL NIL NIL NIL)(NIL NIL \"reply\" \"example.org\")) ((NIL NIL "
                + "\"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) ((NIL \"@relay1.example,@relay2.example\" "
                + "\"route\" \"example.com\")(\"Kim\" NIL \"kim\" \"example.com\")) ((NIL NIL \"Empty Group\" NIL)"
                + "(NIL NIL NIL NIL)) NIL \"<groups@example.de>\")");
    }

    @Test
    void eightBitHeadersGoAsLiterals() throws IOException {
        byte[] envelope = sample("07-utf8-headers.eml").envelope();
        assertThat(text(envelope)).startsWith("(\"Sat, 18 Jan 2025 11:00:00 +0100\" {19}\r\nGrüße – ça va? "
                + "(({15}\r\nJürgen Müller NIL \"juergen\" \"example.de\"))");
    }

    @Test
    void missingHeaders() throws IOException {
        assertThat(text(sample("06-missing-headers.eml").envelope()))
                .isEqualTo("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");
        assertThat(text(sample("23-empty.eml").envelope())).isEqualTo("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");
        assertThat(text(sample("23-empty.eml").bodyStructure(false)))
                .isEqualTo("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0)");
        // an empty Subject is "", an empty Reply-To falls back to From
        assertThat(text(sample("25-odd-header-lines.eml").envelope())).startsWith(
                "(NIL \"\" ((\"Only A Name\" NIL \"MISSING_MAILBOX\" \"MISSING_DOMAIN\")) ((\"Only A Name\"");
    }

    @Test
    void addressListOddities() {
        assertThat(envelopeTo("kim@example.com (Kim)")).isEqualTo("((\"Kim\" NIL \"kim\" \"example.com\"))");
        assertThat(envelopeTo("Alice.Dot <a@example.com>")).isEqualTo("((\"Alice.Dot\" NIL \"a\" \"example.com\"))");
        assertThat(envelopeTo("\"quoted local\"@example.com"))
                .isEqualTo("((NIL NIL \"quoted local\" \"example.com\"))");
        assertThat(envelopeTo("a@[192.0.2.1]")).isEqualTo("((NIL NIL \"a\" \"[192.0.2.1]\"))");
        assertThat(envelopeTo("<>")).isEqualTo("((NIL NIL \"MISSING_MAILBOX\" \"MISSING_DOMAIN\"))");
        assertThat(envelopeTo("postmaster")).isEqualTo("((NIL NIL \"postmaster\" \"MISSING_DOMAIN\"))");
        assertThat(envelopeTo("Name <a@example.com")).isEqualTo("((\"Name\" NIL \"a\" \"example.com\"))");
        assertThat(envelopeTo("a . b @ example . com")).isEqualTo("((NIL NIL \"a.b\" \"example.com\"))");
        assertThat(envelopeTo("G1: a@x.com;, G2: b@y.com;")).isEqualTo("((NIL NIL \"G1\" NIL)(NIL NIL \"a\" "
                + "\"x.com\")(NIL NIL NIL NIL)(NIL NIL \"G2\" NIL)(NIL NIL \"b\" \"y.com\")(NIL NIL NIL NIL))");
        assertThat(envelopeTo("Unclosed: a@x.com")).isEqualTo("((NIL NIL \"Unclosed\" NIL)(NIL NIL \"a\" "
                + "\"x.com\")(NIL NIL NIL NIL))");
        assertThat(envelopeTo("(only a comment")).isEqualTo("NIL");
        assertThat(envelopeTo("")).isEqualTo("NIL");
    }

    private static String envelopeTo(String to) {
        String envelope = text(message("Subject: s\nTo: " + to + "\n\nb\n").envelope());
        String afterReplyTo = envelope.substring(envelope.indexOf("\"s\" NIL NIL NIL ") + 16);
        return afterReplyTo.substring(0, afterReplyTo.length() - " NIL NIL NIL NIL)".length());
    }

    @Test
    void multipartWithAttachmentDecodesRfc2231Parameters() throws IOException {
        ImapMessage m = sample("03-mixed-attachment.eml");
        String structure = ImapValue.canonical(m.bodyStructure(true));
        assertThat(structure).contains("(\"application\" \"pdf\" (\"name\" \"Q4 R\\xc3\\xa9sum\\xc3\\xa9 part.pdf\") "
                + "\"<part2.abc@example.com>\" \"Quarterly report\" \"base64\" 72 \"Q2hlY2sgSW50ZWdyaXR5IQ==\" "
                + "(\"attachment\" (\"size\" \"54\" \"filename\" \"Q4 R\\xc3\\xa9sum\\xc3\\xa9 part.pdf\")) "
                + "(\"en\" \"de\") \"http://example.com/q4.pdf\")");
        ImapMessage params = sample("20-encoded-params.eml");
        assertThat(ImapValue.canonical(params.bodyStructure(false))).isEqualTo("((\"application\" "
                + "\"octet-stream\" (\"name\" \"=?UTF-8?B?w6RwcGxl?=.bin\") NIL NIL \"base64\" 4) (\"text\" \"plain\" "
                + "(\"charset\" \"plain\" \"title\" \"a b\") NIL NIL \"7bit\" 1 0) \"mixed\")");
        // an unknown charset keeps the RFC 2231 form, as Dovecot gives it
        ImapMessage unknown = message("Content-Type: text/plain; name*=x-no-such-charset''a%20b\n\nx\n");
        assertThat(text(unknown.bodyStructure(false))).contains("(\"name*\" \"x-no-such-charset''a%20b\" "
                + "\"charset\" \"us-ascii\")");
    }

    @Test
    void lfAndCrlfInputGiveTheSameAnswers() throws IOException {
        for (String name : List.of("01-simple.eml", "03-mixed-attachment.eml", "04-nested-rfc822.eml",
                "09-missing-close-boundary.eml", "14-no-final-newline.eml", "28-rfc822-tight-boundaries.eml")) {
            byte[] lf = ImapMessageDovecotTest.sample(name);
            ImapMessage fromLf = ImapMessage.parse(lf);
            ImapMessage fromCrlf = ImapMessage.parse(CrlfInputStream.convert(lf));
            assertThat(fromCrlf.crlfBytes()).isEqualTo(fromLf.crlfBytes());
            assertThat(fromCrlf.structure()).as(name).isEqualTo(fromLf.structure());
            for (String path : List.of("", "1", "2", "2.1", "2.2")) {
                for (Kind kind : List.of(Kind.CONTENT, Kind.HEADER, Kind.TEXT)) {
                    assertThat(section(fromCrlf, path, kind)).isEqualTo(section(fromLf, path, kind));
                }
            }
        }
        // the stored form of 08 is CRLF already
        assertThat(sample("08-crlf.eml").crlfBytes()).isEqualTo(ImapMessageDovecotTest.sample("08-crlf.eml"));
    }

    // ---- sections

    @Test
    void everySectionKind() throws IOException {
        ImapMessage m = sample("04-nested-rfc822.eml");
        String whole = text(m.crlfBytes());
        assertThat(section(m, "", Kind.CONTENT)).isEqualTo(whole);
        assertThat(section(m, "", Kind.HEADER)).startsWith("From: Grace").endsWith("boundary=outer\r\n\r\n");
        assertThat(section(m, "", Kind.TEXT)).startsWith("--outer\r\n").endsWith("--outer--\r\n");
        assertThat(section(m, "", Kind.HEADER_FIELDS, "subject", "FROM", "x-none"))
                .isEqualTo("From: Grace <grace@example.net>\r\nSubject: Fwd: Meeting notes\r\n\r\n");
        assertThat(section(m, "", Kind.HEADER_FIELDS_NOT, "From", "To", "Date", "Message-ID", "MIME-Version"))
                .isEqualTo("Subject: Fwd: Meeting notes\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n");
        assertThat(section(m, "1", Kind.CONTENT)).isEqualTo("See the forwarded message below.\r\n");
        assertThat(section(m, "1", Kind.MIME)).isEqualTo("Content-Type: text/plain\r\n\r\n");
        assertThat(section(m, "1", Kind.HEADER)).isEmpty(); // not a message
        assertThat(section(m, "1", Kind.TEXT)).isEmpty();
        assertThat(section(m, "1.1", Kind.CONTENT)).isEqualTo("See the forwarded message below.\r\n");
        assertThat(section(m, "2", Kind.MIME)).isEqualTo("Content-Type: message/rfc822\r\n"
                + "Content-Disposition: inline\r\n\r\n");
        assertThat(section(m, "2", Kind.CONTENT)).startsWith("From: Ivan").endsWith("--inner--\r\n");
        assertThat(section(m, "2", Kind.HEADER)).startsWith("From: Ivan").endsWith("boundary=inner\r\n\r\n");
        assertThat(section(m, "2", Kind.TEXT)).startsWith("--inner\r\n").endsWith("--inner--\r\n");
        assertThat(section(m, "2", Kind.HEADER_FIELDS, "Subject")).isEqualTo("Subject: Meeting notes\r\n\r\n");
        assertThat(section(m, "2.1", Kind.CONTENT)).isEqualTo("1. Budget\r\n2. Hiring\r\n");
        assertThat(section(m, "2.1", Kind.MIME)).isEqualTo("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
        assertThat(section(m, "2.2", Kind.CONTENT)).isEqualTo("<ol><li>Budget</li><li>Hiring</li></ol>\r\n");
        assertThat(section(m, "2.3", Kind.CONTENT)).isEmpty();
        assertThat(section(m, "3", Kind.CONTENT)).isEmpty();
        assertThat(section(m, "3", Kind.MIME)).isEmpty();
        assertThat(section(m, "1.2", Kind.CONTENT)).isEmpty();
        assertThat(section(m, "9.9.9", Kind.HEADER_FIELDS, "From")).isEmpty();
    }

    @Test
    void partOneOfASinglePartMessageIsItsBody() throws IOException {
        ImapMessage m = sample("01-simple.eml");
        assertThat(section(m, "1", Kind.CONTENT)).isEqualTo(section(m, "", Kind.TEXT));
        assertThat(section(m, "1", Kind.MIME)).isEqualTo(section(m, "", Kind.HEADER));
        assertThat(section(m, "1.1", Kind.CONTENT)).isEmpty();
        assertThat(section(m, "2", Kind.CONTENT)).isEmpty();
        // a message that is a message/rfc822: HEADER and TEXT of part 1 are the inner message's
        ImapMessage wrapped = sample("16-top-level-rfc822.eml");
        assertThat(section(wrapped, "1", Kind.HEADER)).startsWith("From: inner@example.com\r\n");
        assertThat(section(wrapped, "1", Kind.MIME)).startsWith("From: wrapper@example.com\r\n");
        assertThat(section(wrapped, "1.1", Kind.CONTENT)).isEqualTo("inner text");
        assertThat(section(wrapped, "1.2.1", Kind.CONTENT)).isEqualTo("iVBORw0KGgo=");
        // in a digest, parts without Content-Type are messages
        ImapMessage digest = sample("17-digest.eml");
        assertThat(section(digest, "1", Kind.HEADER_FIELDS, "subject")).isEqualTo("Subject: one\r\n\r\n");
        assertThat(section(digest, "1.1", Kind.CONTENT)).isEqualTo("first message");
        assertThat(section(digest, "1.1", Kind.MIME)).isEqualTo("From: one@example.org\r\nSubject: one\r\n\r\n");
    }

    @Test
    void headerFieldsKeepFoldingAndMatchCaseInsensitively() throws IOException {
        ImapMessage m = sample("18-folded-and-odd.eml");
        assertThat(section(m, "", Kind.HEADER_FIELDS, "SUBJECT")).isEqualTo("Subject: A folded\r\n subject line that "
                + "is rather long and goes on and on and on and on and on and on\r\nSubject: second subject "
                + "ignored\r\n\r\n");
        ImapMessage odd = sample("25-odd-header-lines.eml");
        assertThat(section(odd, "", Kind.HEADER_FIELDS_NOT, "from", "to", "subject", "reply-to", "x-long",
                "content-type")).isEqualTo("this line has no colon\r\n\r\n");
        // RFC 3501: no blank line for a header that has none, after HEADER.FIELDS.NOT; Dovecot adds it otherwise
        ImapMessage headerOnly = sample("13-header-only.eml");
        assertThat(section(headerOnly, "", Kind.HEADER_FIELDS_NOT, "from", "subject")).isEmpty();
        assertThat(section(headerOnly, "", Kind.HEADER_FIELDS, "from")).isEqualTo("From: a@example.com\r\n\r\n");
    }

    @Test
    void nulOctetsAreSentAs0x80InSectionsButKeptForBinary() throws IOException {
        ImapMessage m = sample("27-nul-and-cr.eml");
        byte[] text = m.section(new Section(List.of(), Kind.TEXT, List.of()));
        assertThat(text).contains((byte) 0x80).doesNotContain((byte) 0);
        assertThat(m.crlfBytes()).contains((byte) 0);
        assertThat(text(text)).contains("bare\rCR\r\n"); // a CR alone is content
    }

    // ---- BINARY

    @Test
    void binaryUndoesBase64AndQuotedPrintable() throws Exception {
        ImapMessage mixed = sample("03-mixed-attachment.eml");
        assertThat(new String(mixed.binary(List.of(2)), StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-1.4\n"
                + "%\u00c7\u00ec\u008f\u00a2\n1 0 obj\n<</Type/Catalog>>\nendobj\n%%EOF\n");
        assertThat(mixed.binarySize(List.of(2))).isEqualTo(54);
        assertThat(text(mixed.binary(List.of(1)))).isEqualTo("Here is the report.\r\nRegards, Erin\r\n");

        ImapMessage alternative = sample("02-alternative.eml");
        assertThat(text(alternative.binary(List.of(1)))).isEqualTo("Grüße! Unsere   Angebote\r\n"
                + "diese Woche: \r\n• Kaffee\r\n• Tee = günstig");
        assertThat(alternative.binarySize(List.of(1))).isEqualTo(73);

        ImapMessage crlf = sample("08-crlf.eml");
        assertThat(crlf.binary(List.of(2))).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(crlf.binary(List.of(3))).isEmpty();
        assertThat(crlf.binarySize(List.of(3))).isZero();
    }

    @Test
    void binaryOfAMessageRewritesTheEncodedPartsInside() throws Exception {
        // Dovecot 2.3.19 gives these octets: the png part decoded, its header saying binary
        ImapMessage m = sample("16-top-level-rfc822.eml");
        byte[] inner = m.binary(List.of(1));
        assertThat(new String(inner, StandardCharsets.ISO_8859_1)).isEqualTo("From: inner@example.com\r\n"
                + "Subject: Inner\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Type: text/plain"
                + "\r\n\r\ninner text\r\n--q\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                + "\u0089PNG\r\n\u001a\n\r\n--q--\r\n");
        assertThat(m.binarySize(List.of(1))).isEqualTo(inner.length).isEqualTo(215);
        ImapMessage qp = sample("15-case-and-params.eml");
        assertThat(new String(qp.binary(List.of()), StandardCharsets.ISO_8859_1)).endsWith("Content-Disposition: "
                + "INLINE\r\nContent-Transfer-Encoding: binary\r\n\r\ncaf\u00e9\r\n");
    }

    @Test
    void unknownTransferEncoding() throws IOException {
        ImapMessage m = sample("12-bad-encodings.eml");
        assertThatThrownBy(() -> m.binary(List.of(3))).isInstanceOf(UnknownTransferEncodingException.class)
                .satisfies(e -> assertThat(((UnknownTransferEncodingException) e).encoding()).isEqualTo("x-uuencode"));
        assertThatThrownBy(() -> m.binarySize(List.of(3))).isInstanceOf(UnknownTransferEncodingException.class);
        assertThatThrownBy(() -> m.binary(List.of())).isInstanceOf(UnknownTransferEncodingException.class);
        // BODY[] is not affected
        assertThat(section(m, "3", Kind.CONTENT)).isEqualTo("begin 644 x\r\n#86)C\r\n`\r\nend");
    }

    @Test
    void badEncodingsDecodeLeniently() throws Exception {
        ImapMessage m = sample("12-bad-encodings.eml");
        assertThat(text(m.binary(List.of(1)))).isEqualTo("Hello world");
        assertThat(text(m.binary(List.of(2)))).isEqualTo("bad =ZZ escape and softbreak and é end=");
    }

    // ---- PREVIEW

    @Test
    void preview() throws IOException {
        assertThat(sample("02-alternative.eml").preview()).isEqualTo("Grüße! Unsere Angebote diese Woche: • Kaffee • "
                + "Tee = günstig");
        assertThat(sample("15-case-and-params.eml").preview()).isEqualTo("café"); // ISO-8859-1, quoted-printable
        assertThat(sample("26-ext-fields.eml").preview()).isEqualTo("Hello world & all"); // html, attachment skipped
        assertThat(sample("16-top-level-rfc822.eml").preview()).isEmpty();
        String longText = "word ".repeat(100);
        String preview = message("Subject: x\n\n" + longText + "\n").preview();
        assertThat(preview).hasSizeLessThanOrEqualTo(200).startsWith("word word").doesNotEndWith(" ");
        String wide = message("Content-Type: text/plain; charset=utf-8\n\n" + "€".repeat(300) + "\n").preview();
        assertThat(wide.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(256);
        assertThat(wide).isEqualTo("€".repeat(85));
        String html = message("Content-Type: text/html\n\n<html><head><title>T</title></head><body><!-- c -->"
                + "<p>Caf&eacute; &#x263A; &lt;ok&gt;</p><style>x{}</style></body></html>\n").preview();
        assertThat(html).isEqualTo("Caf&eacute; ☺ <ok>");
    }

    // ---- malformed input

    @Test
    void malformedSamplesGiveValidAnswers() throws Exception {
        for (String name : List.of("09-missing-close-boundary.eml", "10-boundary-never-seen.eml",
                "11-multipart-no-boundary-param.eml", "12-bad-encodings.eml", "19-partial-headers-in-part.eml",
                "21-deep-nesting.eml", "22-garbage.eml", "23-empty.eml", "24-rfc822-base64.eml")) {
            allAnswersAreValid(ImapMessageDovecotTest.sample(name));
        }
        // Dovecot 2.3.19: a multipart without parts gets one empty text/plain part
        assertImapEquals(sample("10-boundary-never-seen.eml").bodyStructure(true), "((\"text\" \"plain\" "
                + "(\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"never\") "
                + "NIL NIL NIL)");
        // Dovecot 2.3.19: a part whose header is cut by the next boundary is empty
        assertImapEquals(sample("19-partial-headers-in-part.eml").bodyStructure(false), "((\"text\" \"plain\" "
                + "(\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0)(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL "
                + "NIL \"7bit\" 6 0) \"mixed\")");
    }

    @Test
    void nestingIsCapped() throws Exception {
        String deep = ImapValue.canonical(sample("21-deep-nesting.eml").bodyStructure(false));
        // Dovecot 2.3.19: the multipart at the limit is an opaque application/octet-stream
        assertThat(deep).startsWith("(".repeat(99) + "(\"application\" \"octet-stream\" (\"boundary\" \"b99\") NIL "
                + "NIL \"7bit\" 0) \"mixed\")");
        // a thousand nested message/rfc822 parts: no stack overflow, a sensible answer
        var b = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            b.append("Subject: level ").append(i).append("\nContent-Type: message/rfc822\n\n");
        }
        b.append("Subject: bottom\n\nbottom\n");
        ImapMessage m = message(b.toString());
        allAnswersAreValid(b.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(text(m.envelope())).contains("\"level 0\"");
        assertThat(text(m.bodyStructure(false))).contains("\"application\" \"octet-stream\"");
    }

    @Test
    void everyTruncationOfAMessageIsHandled() throws Exception {
        byte[] full = ImapMessageDovecotTest.sample("04-nested-rfc822.eml");
        for (int length = 0; length <= full.length; length++) {
            allAnswersAreValid(java.util.Arrays.copyOf(full, length));
        }
    }

    @Test
    void randomMutationsAreHandled() throws Exception {
        var random = new Random(20250114);
        List<byte[]> samples = new ArrayList<>();
        for (String name : List.of("02-alternative.eml", "03-mixed-attachment.eml", "04-nested-rfc822.eml",
                "05-groups.eml", "17-digest.eml", "20-encoded-params.eml")) {
            samples.add(ImapMessageDovecotTest.sample(name));
        }
        byte[] specials = "\r\n-:;=\"()<>@,\\ \t\0".getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 1500; round++) {
            byte[] b = samples.get(random.nextInt(samples.size())).clone();
            int edits = 1 + random.nextInt(8);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(b.length);
                b[at] = random.nextBoolean() ? specials[random.nextInt(specials.length)] : (byte) random.nextInt(256);
            }
            allAnswersAreValid(b);
        }
    }

    /** Parses and answers everything; what is IMAP data must read back as IMAP data; sizes must add up. */
    static void allAnswersAreValid(byte[] stored) throws Exception {
        ImapMessage m = ImapMessage.parse(stored);
        ImapValue.canonical(m.envelope());
        ImapValue.canonical(m.bodyStructure(true));
        ImapValue.canonical(m.bodyStructure(false));
        assertThat(ImapMessage.structure(new ByteArrayInputStream(stored))).isEqualTo(m.structure());
        m.preview();
        for (List<Integer> part : List.of(List.<Integer>of(), List.of(1), List.of(2), List.of(1, 1), List.of(2, 1),
                List.of(2, 2), List.of(1, 2, 1), List.of(3))) {
            for (Kind kind : Kind.values()) {
                if (kind == Kind.MIME && part.isEmpty()) {
                    continue;
                }
                List<String> fields = kind == Kind.HEADER_FIELDS || kind == Kind.HEADER_FIELDS_NOT
                        ? List.of("Subject", "Content-Type") : List.of();
                m.section(new Section(part, kind, fields));
            }
            try {
                assertThat(m.binarySize(part)).isEqualTo(m.binary(part).length);
            } catch (UnknownTransferEncodingException expected) {
                // fine
            }
        }
    }
}

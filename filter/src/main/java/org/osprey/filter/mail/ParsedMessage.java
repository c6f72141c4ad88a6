package org.osprey.filter.mail;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/**
 * A received message taken apart for the content checks (spam rules, Bayes): its top-level header, the decoded text
 * of its text parts (for HTML the text a reader sees), the links, the attachments, and what was wrong with its MIME
 * structure. Parsing never fails on bad MIME: what is broken is recorded in {@link #problems()} for the rules to
 * weigh, and whatever could be decoded is kept. At most {@code maxBytes} of the message are read.
 */
public final class ParsedMessage {
    /** A multipart/* part without a boundary parameter (read as one text part). */
    public static final String NO_BOUNDARY = "multipart without boundary";
    /** A multipart that ends without its closing boundary, or a part cut off (not counting our own size limit). */
    public static final String MISSING_END_BOUNDARY = "multipart without closing boundary";
    /** A multipart with no parts at all. */
    public static final String EMPTY_MULTIPART = "multipart without parts";
    /** Characters in a base64 body that base64 does not use. */
    public static final String BAD_BASE64 = "bad base64";
    /** Broken quoted-printable escapes. */
    public static final String BAD_QUOTED_PRINTABLE = "bad quoted-printable";
    /** A Content-Transfer-Encoding that is none of RFC 2045's. */
    public static final String UNKNOWN_ENCODING = "unknown transfer encoding";
    /** A charset (of a text part or an encoded word) that no decoder knows. */
    public static final String UNKNOWN_CHARSET = "unknown charset";
    /** Text whose bytes are not valid in the charset it declares. */
    public static final String CHARSET_MISMATCH = "text not valid in its charset";
    /** A header line that is not a field, inside the header section of the message or of a part. */
    public static final String MALFORMED_HEADER = "malformed header line";
    /** 8-bit bytes in the top-level header that are not UTF-8 (raw bytes of some unnamed charset). */
    public static final String RAW_8BIT_HEADER = "raw 8-bit header";
    /** MIME parts nested deeper than {@link MessageParser#MAX_DEPTH}. */
    public static final String TOO_DEEP = "MIME nested too deep";

    /** One text part: its content type, its decoded text; for HTML the visible text, scripts and styles dropped. */
    public record TextPart(String contentType, String text, boolean html) {
    }

    /** A link: from an HTML {@code <a>} or {@code <area>} with its visible text, or a URL in plain text (text ""). */
    public record Link(String href, String text) {
    }

    /** A part that is not text to read: its file name ("" when none), its content type and its decoded size. */
    public record Attachment(String filename, String contentType, long size) {
    }

    /**
     * What the HTML parts look like beyond their text, summed over all of them.
     *
     * @param parts       how many HTML parts there are
     * @param images      {@code <img>} elements with a source
     * @param visibleText characters of visible text (without white space)
     * @param hiddenText  characters of text a reader does not see (display:none, visibility:hidden, zero or tiny
     *                    font size, text in the colour of its background), without white space
     * @param forms       {@code <form>} elements
     * @param scripts     {@code <script>} elements and on* event attributes
     */
    public record HtmlSummary(int parts, int images, int visibleText, int hiddenText, int forms, int scripts) {
        public static final HtmlSummary NONE = new HtmlSummary(0, 0, 0, 0, 0, 0);

        HtmlSummary plus(HtmlSummary other) {
            return new HtmlSummary(parts + other.parts, images + other.images, visibleText + other.visibleText,
                hiddenText + other.hiddenText, forms + other.forms, scripts + other.scripts);
        }
    }

    private final MessageHeader header;
    private final List<TextPart> textParts;
    private final List<Link> links;
    private final List<Attachment> attachments;
    private final List<String> problems;
    private final HtmlSummary html;
    private final boolean truncated;

    ParsedMessage(MessageHeader header, List<TextPart> textParts, List<Link> links, List<Attachment> attachments,
                  List<String> problems, HtmlSummary html, boolean truncated) {
        this.header = header;
        this.textParts = List.copyOf(textParts);
        this.links = List.copyOf(links);
        this.attachments = List.copyOf(attachments);
        this.problems = List.copyOf(problems);
        this.html = html;
        this.truncated = truncated;
    }

    /**
     * Parses a message (CRLF or LF line ends) from its first byte, reading at most {@code maxBytes}.
     *
     * @throws IOException only when reading the stream fails; bad MIME never throws
     */
    public static ParsedMessage parse(InputStream message, long maxBytes) throws IOException {
        return new MessageParser(maxBytes).parse(message);
    }

    /** The top-level header fields in their order, values undecoded. */
    public MessageHeader header() {
        return header;
    }

    /** The first value of the named top-level field with RFC 2047 encoded words decoded; "" when absent. */
    public String decodedHeader(String name) {
        return header.value(name).map(ParsedMessage::decodeWords).orElse("");
    }

    /** A header value with its RFC 2047 encoded words decoded (unknown charsets left as they are). */
    public static String decodeWords(String value) {
        if (!value.contains("=?")) {
            return value;
        }
        try {
            return DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT);
        } catch (RuntimeException e) { // a malformed word: keep the text as written
            return value;
        }
    }

    public List<TextPart> textParts() {
        return textParts;
    }

    public List<Link> links() {
        return links;
    }

    public List<Attachment> attachments() {
        return attachments;
    }

    /** The MIME problems found (the constants of this class), each once, in the order found. */
    public List<String> problems() {
        return problems;
    }

    public HtmlSummary html() {
        return html;
    }

    /** True when the message was longer than the limit given to {@link #parse} and only its start was read. */
    public boolean truncated() {
        return truncated;
    }
}

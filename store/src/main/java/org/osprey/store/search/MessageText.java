package org.osprey.store.search;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.util.CharsetUtil;

/**
 * The searchable text of a message: the values of its header fields, RFC 2047 encoded-words decoded, and the text
 * of its body — every text/* part, transfer encoding (base64, quoted-printable) undone and converted from its
 * charset, text/html reduced to text ({@link HtmlText}), attached messages (message/rfc822) entered with their
 * header fields counted as body text. Parts of other types (images, PDFs, ...) are skipped; MIME part headers are
 * not text. All of it together is at most {@link #MAX_CHARS} characters; the rest of a bigger message is left out.
 *
 * @param header the top-level header fields' decoded values, in order
 * @param body   the body text, one string per text part or attached message's header field
 */
public record MessageText(List<String> header, List<String> body) {
    /** At most this many characters of a message are kept (1 Mi). */
    public static final int MAX_CHARS = 1 << 20;

    private static final MimeConfig CONFIG = MimeConfig.custom().setStrictParsing(false).setMaxLineLen(-1)
            .setMaxHeaderCount(-1).setMaxHeaderLen(-1).setMaxContentLen(-1).build();

    public MessageText {
        header = List.copyOf(header);
        body = List.copyOf(body);
    }

    /**
     * Reads a message (as stored: LF or CRLF line endings) and extracts its text. A message MIME cannot make sense
     * of gives what was read up to the damage; only a failure to read the stream is an exception.
     */
    public static MessageText extract(InputStream message) throws IOException {
        var handler = new Collector();
        MimeStreamParser parser = new MimeStreamParser(CONFIG);
        parser.setContentDecoding(true);
        parser.setRecurse();
        parser.setContentHandler(handler);
        handler.parser = parser;
        try {
            parser.parse(message);
        } catch (MimeException e) {
            // malformed beyond what the lenient parser accepts: keep what was found
        }
        return new MessageText(handler.header, handler.body);
    }

    /** Collects text while mime4j walks the message, within the character budget. */
    private static final class Collector extends AbstractContentHandler {
        final List<String> header = new ArrayList<>();
        final List<String> body = new ArrayList<>();
        /** True for each open entity that is a message (top-level or attached), false for a body part. */
        final Deque<Boolean> entities = new ArrayDeque<>();
        MimeStreamParser parser;
        int budget = MAX_CHARS;

        @Override
        public void startMessage() {
            entities.push(true);
        }

        @Override
        public void endMessage() {
            entities.pop();
        }

        @Override
        public void startBodyPart() {
            entities.push(false);
        }

        @Override
        public void endBodyPart() {
            entities.pop();
        }

        @Override
        public void field(Field field) {
            if (budget <= 0 || entities.isEmpty() || !entities.peek()) {
                return; // MIME part headers (Content-Type, ...) are structure, not text
            }
            String value = decodeWords(field.getBody());
            if (value.isBlank()) {
                return;
            }
            take(entities.size() == 1 ? header : body, value);
        }

        @Override
        public void body(BodyDescriptor descriptor, InputStream content) throws IOException {
            String type = descriptor.getMimeType() == null ? "text/plain"
                    : descriptor.getMimeType().toLowerCase(Locale.ROOT);
            if (budget <= 0 || !type.startsWith("text/")) {
                return; // mime4j skips what is not read
            }
            String text = read(new InputStreamReader(content, charset(descriptor.getCharset())), budget);
            if (type.equals("text/html")) {
                text = HtmlText.toText(text);
            }
            if (!text.isBlank()) {
                take(body, text);
            }
        }

        private void take(List<String> into, String text) {
            String kept = text.length() > budget ? text.substring(0, budget) : text;
            into.add(kept);
            budget -= kept.length();
            if (budget <= 0) {
                parser.stop();
            }
        }

        private static String read(Reader reader, int max) throws IOException {
            StringBuilder out = new StringBuilder(Math.min(max, 8192));
            char[] buffer = new char[8192];
            while (out.length() < max) {
                int n = reader.read(buffer, 0, Math.min(buffer.length, max - out.length()));
                if (n < 0) {
                    break;
                }
                out.append(buffer, 0, n);
            }
            return out.toString();
        }
    }

    /** A part's charset; US-ASCII (the MIME default) and unknown names read as UTF-8, which keeps 8-bit text. */
    private static Charset charset(String name) {
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        Charset charset = CharsetUtil.lookup(name);
        return charset == null || charset.equals(StandardCharsets.US_ASCII) ? StandardCharsets.UTF_8 : charset;
    }

    /** RFC 2047 encoded-words decoded; a value that is not valid stays as it is. */
    static String decodeWords(String value) {
        if (value.indexOf("=?") < 0) {
            return value;
        }
        try {
            return DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }
}

package org.osprey.filter.mail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.BodyDescriptorBuilder;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.util.MimeParameterMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link ParsedMessage} in one pass over the stream with mime4j's pull parser: the top-level header is
 * read first (and the stream rewound to its start), then every leaf part is decoded as it streams by. Text parts
 * are kept as text (HTML through {@link HtmlText}); other parts are only measured. mime4j runs lenient: its warnings
 * become {@link ParsedMessage#problems()}, and an error it cannot get past ends the parse with what was read so far.
 */
final class MessageParser {
    private static final Logger log = LoggerFactory.getLogger(MessageParser.class);

    /** Deeper nesting than any mail program writes; only recorded, the parse goes on. */
    static final int MAX_DEPTH = 20;
    /** Text kept of one part; a longer part is measured but its rest not decoded. */
    static final int TEXT_LIMIT = 2 * 1024 * 1024;
    /** Links kept of one message. */
    static final int LINK_LIMIT = 1000;

    private static final Set<String> ENCODINGS = Set.of("7bit", "8bit", "binary", "base64", "quoted-printable");

    /** No limits of mime4j's own (lines, header count): the caller's byte limit bounds everything. */
    private static final MimeConfig CONFIG = new MimeConfig.Builder()
        .setMaxLineLen(-1)
        .setMaxHeaderCount(-1)
        .setMaxHeaderLen(-1)
        .setMaxContentLen(-1)
        .setStrictParsing(false)
        .build();

    private final long maxBytes;
    private final Set<String> problems = new LinkedHashSet<>();
    private final List<ParsedMessage.TextPart> textParts = new ArrayList<>();
    private final List<ParsedMessage.Link> links = new ArrayList<>();
    private final List<ParsedMessage.Attachment> attachments = new ArrayList<>();
    private ParsedMessage.HtmlSummary html = ParsedMessage.HtmlSummary.NONE;
    /** Problems that a cut-off stream causes; dropped when the cut was our own limit. */
    private boolean endedEarly;

    MessageParser(long maxBytes) {
        this.maxBytes = Math.max(0, maxBytes);
    }

    ParsedMessage parse(InputStream message) throws IOException {
        LimitedInput limited = new LimitedInput(message, maxBytes);
        BufferedInputStream in = new BufferedInputStream(limited, 64 * 1024);
        in.mark(MessageHeader.LIMIT + 2);
        MessageHeader header = MessageHeader.read(in);
        in.reset();
        if (header.fields().stream().anyMatch(f -> f.value().indexOf('\uFFFD') >= 0)) {
            problems.add(ParsedMessage.RAW_8BIT_HEADER);
        }
        walk(in);
        if (limited.truncated() && endedEarly) {
            problems.remove(ParsedMessage.MISSING_END_BOUNDARY);
            problems.remove(ParsedMessage.BAD_BASE64);
        }
        return new ParsedMessage(header, textParts, links, attachments, new ArrayList<>(problems), html,
            limited.truncated());
    }

    /** The MIME headers of the entity being read that decide how its body is taken. */
    private static final class Entity {
        String contentType;
        String disposition;
    }

    private void walk(InputStream in) throws IOException {
        MimeTokenStream stream = new MimeTokenStream(CONFIG, new ProblemMonitor(), (BodyDescriptorBuilder) null);
        stream.parse(in);
        Deque<Entity> entities = new ArrayDeque<>();
        Deque<int[]> multiparts = new ArrayDeque<>(); // parts seen in each open multipart
        try {
            for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM;
                 state = stream.next()) {
                switch (state) {
                    case T_START_MESSAGE, T_START_BODYPART -> {
                        entities.push(new Entity());
                        if (entities.size() > MAX_DEPTH) {
                            problems.add(ParsedMessage.TOO_DEEP);
                        }
                        if (state == EntityState.T_START_BODYPART && !multiparts.isEmpty()) {
                            multiparts.peek()[0]++;
                        }
                    }
                    case T_END_MESSAGE, T_END_BODYPART -> entities.poll();
                    case T_FIELD -> field(entities.peek(), stream.getField());
                    case T_START_MULTIPART -> multiparts.push(new int[1]);
                    case T_END_MULTIPART -> {
                        int[] parts = multiparts.poll();
                        if (parts != null && parts[0] == 0) {
                            problems.add(ParsedMessage.EMPTY_MULTIPART);
                        }
                    }
                    case T_BODY -> body(entities.peek(), stream);
                    default -> {
                    }
                }
            }
        } catch (MimeException | RuntimeException e) {
            // Lenient mime4j rarely gives up; when it does, what was read stays and the rules see a problem.
            log.debug("MIME parse stopped: {}", e.toString());
            problems.add(ParsedMessage.MALFORMED_HEADER);
        }
    }

    private void field(Entity entity, Field field) {
        if (entity == null) {
            return;
        }
        String name = field.getName().toLowerCase(Locale.ROOT);
        if (name.equals("content-type")) {
            entity.contentType = body(field);
        } else if (name.equals("content-disposition")) {
            entity.disposition = body(field);
        }
    }

    /** The field's value from its raw bytes read as UTF-8 (8-bit file names are mostly UTF-8), unfolded. */
    private static String body(Field field) {
        String raw = new String(field.getRaw().toByteArray(), StandardCharsets.UTF_8);
        int colon = raw.indexOf(':');
        return raw.substring(colon + 1).replace("\r", "").replace("\n", "").strip();
    }

    private void body(Entity entity, MimeTokenStream stream) throws IOException {
        Entity e = entity == null ? new Entity() : entity;
        BodyDescriptor descriptor = stream.getBodyDescriptor();
        String mimeType = descriptor.getMimeType().toLowerCase(Locale.ROOT);
        MimeParameterMapping typeParams = parameters("Content-Type", e.contentType);
        String declaredType = e.contentType == null ? "" : value("Content-Type", e.contentType);
        if (declaredType.startsWith("multipart/")) {
            problems.add(ParsedMessage.NO_BOUNDARY); // mime4j reads it as text/plain
        }
        String encoding = descriptor.getTransferEncoding().toLowerCase(Locale.ROOT);
        if (!ENCODINGS.contains(encoding)) {
            problems.add(ParsedMessage.UNKNOWN_ENCODING);
        }
        MimeParameterMapping dispositionParams = parameters("Content-Disposition", e.disposition);
        String disposition = e.disposition == null ? "" : value("Content-Disposition", e.disposition);
        String filename = firstNonBlank(dispositionParams.get("filename"), typeParams.get("name"));
        boolean text = (mimeType.equals("text/plain") || mimeType.equals("text/html"))
            && !disposition.equals("attachment") && filename.isEmpty();
        if (!text) {
            attachments.add(new ParsedMessage.Attachment(filename, mimeType, drain(stream.getDecodedInputStream())));
            return;
        }
        byte[] bytes = read(stream.getDecodedInputStream());
        String decoded = TextDecoder.decode(bytes, typeParams.get("charset"), problems);
        if (mimeType.equals("text/html")) {
            HtmlText page = HtmlText.of(decoded);
            textParts.add(new ParsedMessage.TextPart(mimeType, page.visibleText(), true));
            html = html.plus(page.summary());
            for (ParsedMessage.Link link : page.links()) {
                addLink(link);
            }
        } else {
            textParts.add(new ParsedMessage.TextPart(mimeType, decoded, false));
            for (String url : PlainUrls.find(decoded)) {
                addLink(new ParsedMessage.Link(url, ""));
            }
        }
    }

    private void addLink(ParsedMessage.Link link) {
        if (links.size() < LINK_LIMIT) {
            links.add(link);
        }
    }

    private static MimeParameterMapping parameters(String name, String value) {
        MimeParameterMapping mapping = new MimeParameterMapping();
        if (value == null) {
            return mapping;
        }
        try {
            RawBody body = RawFieldParser.DEFAULT.parseRawBody(new RawField(name, value));
            for (NameValuePair pair : body.getParams()) {
                if (pair.getName() != null && pair.getValue() != null) {
                    mapping.addParameter(pair.getName(), pair.getValue());
                }
            }
        } catch (RuntimeException e) { // RFC 2231 with a bad charset or escape: the parameters we have so far
            log.debug("bad parameters in {}: {}", name, e.toString());
        }
        return mapping;
    }

    private static String value(String name, String value) {
        String v = RawFieldParser.DEFAULT.parseRawBody(new RawField(name, value)).getValue();
        return v == null ? "" : v.strip().toLowerCase(Locale.ROOT);
    }

    private static String firstNonBlank(String first, String second) {
        if (first != null && !first.isBlank()) {
            return ParsedMessage.decodeWords(first.strip());
        }
        return second == null || second.isBlank() ? "" : ParsedMessage.decodeWords(second.strip());
    }

    private static byte[] read(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            if (out.size() < TEXT_LIMIT) {
                out.write(buffer, 0, Math.min(n, TEXT_LIMIT - out.size()));
            }
        }
        return out.toByteArray();
    }

    private static long drain(InputStream in) throws IOException {
        long size = 0;
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            size += n;
        }
        return size;
    }

    /** mime4j's warnings, sorted into our problem names. */
    private final class ProblemMonitor extends DecodeMonitor {
        @Override
        public boolean warn(String error, String dropDesc) {
            String e = error == null ? "" : error;
            if (e.startsWith("Unexpected end of BASE64")) {
                endedEarly = true;
                problems.add(ParsedMessage.BAD_BASE64);
            } else if (e.contains("base64") || e.contains("BASE64") || e.contains("padding")) {
                problems.add(ParsedMessage.BAD_BASE64);
            } else if (e.contains("==") || e.startsWith("Malformed encoded value")) {
                problems.add(ParsedMessage.BAD_QUOTED_PRINTABLE);
            } else if (e.contains("ended prematurely") || e.contains("end of headers")
                || e.contains("HEADERS_PREMATURE_END")
                || e.contains("MIME_BODY_PREMATURE_END")) {
                endedEarly = true;
                problems.add(ParsedMessage.MISSING_END_BOUNDARY);
            } else if (e.contains("Invalid header") || e.contains("illegal characters") || e.contains("INVALID_HEADER")
                || e.contains("OBSOLETE_HEADER")) {
                problems.add(ParsedMessage.MALFORMED_HEADER);
            } else {
                log.debug("MIME warning: {}", e);
            }
            return false;
        }

        @Override
        public boolean isListening() {
            return true;
        }
    }

    /** Ends the stream after {@code limit} bytes and remembers whether the message went on. */
    private static final class LimitedInput extends FilterInputStream {
        private long left;
        private boolean truncated;

        LimitedInput(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return atLimit();
            }
            int c = super.read();
            if (c != -1) {
                left--;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (left <= 0) {
                return atLimit();
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        private int atLimit() throws IOException {
            if (!truncated && super.read() != -1) {
                truncated = true;
            }
            return -1;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, Math.max(0, left)));
            left -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), Math.max(0, left));
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        boolean truncated() {
            return truncated;
        }
    }
}

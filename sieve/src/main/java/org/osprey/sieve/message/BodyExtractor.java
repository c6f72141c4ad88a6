package org.osprey.sieve.message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;
import org.apache.james.mime4j.util.CharsetUtil;
import org.osprey.sieve.match.Budget;

/**
 * The strings the body test compares (RFC 5173 §5), read from the message with mime4j's token stream:
 * <ul>
 * <li>{@link #text}: every text/* leaf part, transfer encoding undone, converted from its charset, text/html
 * reduced to its text; one string per part (§5.3);</li>
 * <li>{@link #content}: the parts whose type the predicate accepts, each as one string (§5.2): a leaf's decoded
 * content, a multipart's prologue and epilogue (two strings), a message/rfc822 part's nested header.</li>
 * </ul>
 * MIME part headers are never part of the strings. A malformed message gives what could be read before the damage.
 */
public final class BodyExtractor {
    private static final MimeConfig CONFIG = MimeConfig.custom().setStrictParsing(false).setMaxLineLen(-1)
            .setMaxHeaderCount(-1).setMaxHeaderLen(-1).setMaxContentLen(-1).build();

    private BodyExtractor() {
    }

    /** The text parts of {@code message} (header included in the stream), for {@code body :text}. */
    public static List<String> text(InputStream message, Budget budget) throws IOException {
        return walk(message, type -> type.startsWith("text/"), true, budget);
    }

    /** The parts whose lower-case type {@code wanted} accepts, for {@code body :content}. */
    public static List<String> content(InputStream message, Predicate<String> wanted, Budget budget)
            throws IOException {
        return walk(message, wanted, false, budget);
    }

    /**
     * One entity being walked: a message (top-level or embedded) or a body part. Its type is read from its own
     * Content-Type field (mime4j gives no body descriptor for an entity whose body is an embedded message);
     * without one it is text/plain, or message/rfc822 inside multipart/digest (RFC 2046 §5.1.5).
     */
    private static final class Frame {
        final boolean message;
        String type;
        final StringBuilder header = new StringBuilder();

        Frame(boolean message, Frame parent) {
            this.message = message;
            this.type = parent != null && parent.type.equals("multipart/digest") ? "message/rfc822" : "text/plain";
        }
    }

    private static List<String> walk(InputStream message, Predicate<String> wanted, boolean textOnly,
                                     Budget budget) throws IOException {
        List<String> out = new ArrayList<>();
        MimeTokenStream stream = new MimeTokenStream(CONFIG);
        stream.setRecursionMode(RecursionMode.M_RECURSE);
        stream.parse(message);
        Deque<Frame> frames = new ArrayDeque<>();
        try {
            for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM;
                 state = stream.next()) {
                budget.tick();
                switch (state) {
                    case T_START_MESSAGE -> frames.push(new Frame(true, null));
                    case T_START_BODYPART -> frames.push(new Frame(false, frames.peek()));
                    case T_END_MESSAGE, T_END_BODYPART -> frames.poll();
                    case T_FIELD -> {
                        Frame frame = frames.peek();
                        if (frame == null) {
                            break;
                        }
                        Field field = stream.getField();
                        if (field.getName().equalsIgnoreCase("Content-Type")) {
                            String type = field.getBody().split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
                            if (type.indexOf('/') > 0) {
                                frame.type = type;
                            }
                        }
                        if (frame.message && frames.size() > 1) {
                            frame.header.append(field.getName()).append(": ").append(field.getBody())
                                    .append("\r\n");
                        }
                    }
                    case T_END_HEADER -> {
                        Frame frame = frames.peek();
                        if (frame != null && !textOnly && frame.message && frames.size() > 1) {
                            // an embedded message: its header is the content of the message/rfc822 part around it
                            Frame enclosing = second(frames);
                            if (wanted.test(enclosing.type)) {
                                out.add(frame.header.toString());
                            }
                        }
                    }
                    case T_PREAMBLE, T_EPILOGUE -> {
                        Frame frame = frames.peek();
                        if (!textOnly && frame != null && wanted.test(frame.type)) {
                            out.add(new String(read(stream.getInputStream(), budget), StandardCharsets.ISO_8859_1));
                        }
                    }
                    case T_BODY -> {
                        BodyDescriptor descriptor = stream.getBodyDescriptor();
                        String type = type(descriptor);
                        if (wanted.test(type)) {
                            out.add(decode(read(stream.getDecodedInputStream(), budget), type,
                                    descriptor.getCharset(), textOnly));
                        }
                    }
                    default -> {
                        // start and end of headers and multiparts carry nothing to compare
                    }
                }
            }
        } catch (MimeException e) {
            // malformed beyond what the lenient parser accepts: keep what was found
        }
        return out;
    }

    private static Frame second(Deque<Frame> frames) {
        var it = frames.iterator();
        it.next();
        return it.next();
    }

    private static String type(BodyDescriptor descriptor) {
        String type = descriptor.getMimeType();
        return type == null ? "text/plain" : type.toLowerCase(Locale.ROOT);
    }

    private static String decode(byte[] content, String type, String charsetName, boolean textOnly) {
        if (!type.startsWith("text/")) {
            return new String(content, StandardCharsets.ISO_8859_1); // octets kept, one character each
        }
        String text = new String(content, charset(charsetName));
        return textOnly && type.equals("text/html") ? HtmlText.toText(text) : text;
    }

    /** A part's charset; US-ASCII (the MIME default) and unknown names read as UTF-8, which keeps 8-bit text. */
    private static Charset charset(String name) {
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        Charset charset = CharsetUtil.lookup(name);
        return charset == null || charset.equals(StandardCharsets.US_ASCII) ? StandardCharsets.UTF_8 : charset;
    }

    private static byte[] read(InputStream in, Budget budget) throws IOException {
        var out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            budget.check();
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}

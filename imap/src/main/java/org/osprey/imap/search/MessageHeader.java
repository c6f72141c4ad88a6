package org.osprey.imap.search;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.osprey.store.index.FolderIndex;
import org.osprey.store.index.MessageEntry;

/**
 * The header fields of a stored message, read from the start of its file up to the first empty line and no further
 * (at most {@link #MAX_BYTES}; a longer header is cut there). Fields are unfolded; names compare case-insensitively.
 * Raw bytes are read as UTF-8 (RFC 6532), or as ISO-8859-1 on a line that is not valid UTF-8. {@link #decoded}
 * also undoes RFC 2047 encoded-words.
 */
final class MessageHeader {
    static final int MAX_BYTES = 256 * 1024;
    static final MessageHeader EMPTY = new MessageHeader(List.of());

    /** One field; {@code value} is unfolded and starts after the colon and any white space. */
    record Field(String name, String value) {
    }

    private final List<Field> fields;

    private MessageHeader(List<Field> fields) {
        this.fields = fields;
    }

    /** The header of a message; {@link #EMPTY} when its file is gone (expunged meanwhile). */
    static MessageHeader read(FolderIndex folder, MessageEntry message) throws IOException {
        try (FileChannel channel = folder.openMessage(message.uid())) {
            return parse(readBlock(channel));
        } catch (NoSuchFileException gone) {
            return EMPTY;
        }
    }

    /** Reads up to the end of the header (the empty line) or {@link #MAX_BYTES}. */
    private static byte[] readBlock(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        int scanned = 0;
        while (true) {
            if (!buffer.hasRemaining()) {
                if (buffer.capacity() >= MAX_BYTES) {
                    break;
                }
                ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_BYTES, buffer.capacity() * 4));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
            int n = channel.read(buffer);
            if (n < 0) {
                break;
            }
            int end = headerEnd(buffer.array(), scanned, buffer.position());
            if (end >= 0) {
                return Arrays.copyOf(buffer.array(), end);
            }
            scanned = Math.max(0, buffer.position() - 3);
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    /** The length of the header (through the line break before the empty line), or -1 if not seen yet. */
    private static int headerEnd(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            if (i == 0) {
                return 0; // no header at all
            }
            if (i + 1 < to && bytes[i + 1] == '\n') {
                return i + 1;
            }
            if (i + 2 < to && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') {
                return i + 1;
            }
        }
        if (from == 0 && to >= 2 && bytes[0] == '\r' && bytes[1] == '\n') {
            return 0;
        }
        return -1;
    }

    /** Parses a header block (LF or CRLF line ends). */
    static MessageHeader parse(byte[] block) {
        List<Field> fields = new ArrayList<>();
        StringBuilder current = null;
        String name = null;
        int start = 0;
        while (start < block.length) {
            int end = start;
            while (end < block.length && block[end] != '\n') {
                end++;
            }
            int lineEnd = end > start && block[end - 1] == '\r' ? end - 1 : end;
            String line = text(block, start, lineEnd);
            start = end + 1;
            if (line.isEmpty()) {
                break;
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                if (current != null) {
                    current.append(line); // unfolding removes the line break only (RFC 5322 §2.2.3)
                }
                continue;
            }
            if (current != null) {
                fields.add(new Field(name, current.toString()));
                current = null;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue; // not a field (a "From " line, garbage): skipped
            }
            name = line.substring(0, colon).strip();
            int valueStart = colon + 1;
            while (valueStart < line.length() && (line.charAt(valueStart) == ' ' || line.charAt(valueStart) == '\t')) {
                valueStart++;
            }
            current = new StringBuilder(line.substring(valueStart));
        }
        if (current != null) {
            fields.add(new Field(name, current.toString()));
        }
        return new MessageHeader(List.copyOf(fields));
    }

    private static String text(byte[] bytes, int from, int to) {
        boolean ascii = true;
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, from, to - from, StandardCharsets.US_ASCII);
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, to - from));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }

    List<Field> fields() {
        return fields;
    }

    /** True when the header has a field of this name. */
    boolean has(String name) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** The raw (unfolded, not decoded) values of the fields of this name, in order. */
    List<String> raw(String name) {
        List<String> values = new ArrayList<>(1);
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                values.add(f.value());
            }
        }
        return values;
    }

    /** The first raw value of a field, or null. */
    String first(String name) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return f.value();
            }
        }
        return null;
    }

    /** The values of the fields of this name with RFC 2047 encoded-words decoded. */
    List<String> decoded(String name) {
        List<String> values = raw(name);
        values.replaceAll(MessageHeader::decodeWords);
        return values;
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

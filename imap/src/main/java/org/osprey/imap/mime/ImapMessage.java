package org.osprey.imap.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.osprey.imap.parse.Section;

/**
 * One message as IMAP FETCH presents it: its CRLF form, and from that ENVELOPE, BODYSTRUCTURE/BODY, BODY[section],
 * BINARY[part] and PREVIEW. All sizes and offsets are those of the CRLF form (RFC822.SIZE is its length).
 *
 * <p>{@link #parse} accepts anything and never fails: garbage, missing or unclosed boundaries, truncated parts and
 * absurd nesting all give an answer, the one Dovecot gives where that was checked (see {@link MimeParser} for the
 * rules and limits). Part numbers follow RFC 9051 §6.4.5 as Dovecot reads them: part 1 of a non-multipart message
 * is its body; a part inside a multipart that is not itself multipart answers to {@code .1} as itself; HEADER and
 * TEXT of a message/rfc822 part address the message inside it; a part that does not exist is empty, never an
 * error.
 *
 * <p>Immutable and thread-safe once parsed.
 */
public final class ImapMessage {
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CTE_BINARY =
            "Content-Transfer-Encoding: binary\r\n".getBytes(StandardCharsets.US_ASCII);

    private final byte[] crlf;
    private final MimePart root;

    private ImapMessage(byte[] crlf, MimePart root) {
        this.crlf = crlf;
        this.root = root;
    }

    /** Parses a message as stored (LF or CRLF line endings). Never throws on malformed content. */
    public static ImapMessage parse(byte[] storedMessage) {
        byte[] crlf = CrlfInputStream.convert(storedMessage);
        try {
            return new ImapMessage(crlf, MimeParser.parse(new ByteArrayInputStream(crlf)));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
    }

    /**
     * ENVELOPE, BODYSTRUCTURE and BODY of a stored message read from a stream, in one pass and in little memory
     * whatever its size (the message is not kept).
     */
    public static CachedStructure structure(InputStream storedMessage) throws IOException {
        return structure(MimeParser.parse(new CrlfInputStream(storedMessage)));
    }

    /** ENVELOPE, BODYSTRUCTURE and BODY together, as {@link Structures} caches them. */
    public CachedStructure structure() {
        return structure(root);
    }

    private static CachedStructure structure(MimePart root) {
        var envelope = new ByteArrayOutputStream(512);
        EnvelopeWriter.write(envelope, root.header);
        var extensible = new ByteArrayOutputStream(256);
        BodyStructureWriter.write(extensible, root, true);
        var basic = new ByteArrayOutputStream(256);
        BodyStructureWriter.write(basic, root, false);
        return new CachedStructure(envelope.toByteArray(), extensible.toByteArray(), basic.toByteArray());
    }

    /**
     * The message with CRLF line endings, as stored otherwise (a NUL stays NUL; {@code section(Section.ALL)} is
     * what BODY[] answers). The array is shared: do not modify it.
     */
    public byte[] crlfBytes() {
        return crlf;
    }

    /** The ENVELOPE as it follows {@code "ENVELOPE "} in a FETCH response: a parenthesized list. */
    public byte[] envelope() {
        var out = new ByteArrayOutputStream(512);
        EnvelopeWriter.write(out, root.header);
        return out.toByteArray();
    }

    /** BODYSTRUCTURE ({@code extensible}) or BODY, as it follows the item name in a FETCH response. */
    public byte[] bodyStructure(boolean extensible) {
        var out = new ByteArrayOutputStream(256);
        BodyStructureWriter.write(out, root, extensible);
        return out.toByteArray();
    }

    /**
     * The octets of BODY[section] (RFC 9051 §6.4.5), before any {@code <partial>}: empty when the part does not
     * exist, or when HEADER/TEXT name a part that is not a message. NUL octets are given as 0x80, since the
     * answer goes out as a literal, which cannot carry NUL (BINARY can). The array may be shared (BODY[] of a
     * message without NULs is {@link #crlfBytes()}): do not modify it. HEADER.FIELDS and HEADER.FIELDS.NOT give the
     * chosen fields as they are in the header (folding kept), field names matched case-insensitively, and a blank
     * line after them.
     */
    public byte[] section(Section section) {
        List<Integer> path = section.part();
        MimePart target = resolve(path);
        if (target == null) {
            return EMPTY;
        }
        switch (section.kind()) {
            case CONTENT -> {
                return path.isEmpty() ? withoutNul(crlf) : range(target.bodyStart, target.bodyEnd);
            }
            case MIME -> {
                return range(target.headerStart, target.bodyStart);
            }
            default -> {
            }
        }
        MimePart message = path.isEmpty() ? root : target.kind == MimePart.Kind.MESSAGE ? target.message : null;
        if (message == null) {
            return EMPTY;
        }
        return switch (section.kind()) {
            case HEADER -> range(message.headerStart, message.bodyStart);
            case TEXT -> range(message.bodyStart, message.bodyEnd);
            case HEADER_FIELDS -> headerFields(message, section.fields(), false);
            case HEADER_FIELDS_NOT -> headerFields(message, section.fields(), true);
            default -> throw new IllegalStateException(section.kind().toString());
        };
    }

    /**
     * BINARY[part] (RFC 3516): the part's content with its Content-Transfer-Encoding undone. For a message or
     * multipart (and for the whole message, an empty {@code part}) the parts inside are decoded in place and their
     * headers say {@code Content-Transfer-Encoding: binary}, as Dovecot does. A part that does not exist is empty.
     *
     * @throws UnknownTransferEncodingException when a part to decode has an encoding other than 7bit, 8bit,
     *                                          binary, base64 or quoted-printable
     */
    public byte[] binary(List<Integer> part) throws UnknownTransferEncodingException {
        var out = new ByteArrayOutputStream();
        try {
            binary(part, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** BINARY.SIZE[part]: the length of {@link #binary}, computed without keeping the decoded octets. */
    public long binarySize(List<Integer> part) throws UnknownTransferEncodingException {
        var counter = new OutputStream() {
            long count;

            @Override
            public void write(int b) {
                count++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count += len;
            }
        };
        try {
            binary(part, counter);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counter.count;
    }

    /**
     * RFC 8970 PREVIEW: the start of the message's first readable text (text/plain, or text/html without its
     * markup, not an attachment and not inside an attached message), decoded, whitespace collapsed; at most 200
     * characters and 256 octets of UTF-8. Empty when there is no such text.
     */
    public String preview() {
        return Preview.of(crlf, root);
    }

    // ---- parts

    /** The entity a part path names (RFC 9051 §6.4.5 part numbering, as Dovecot reads it), or null. */
    private MimePart resolve(List<Integer> path) {
        MimePart current = root;
        boolean atMessage = true; // current is a message whose body part "1" has not been taken yet
        boolean inMultipart = false;
        for (int i = 0; i < path.size(); i++) {
            int number = path.get(i);
            if (current.kind == MimePart.Kind.MULTIPART) {
                if (number > current.children.size()) {
                    return null;
                }
                current = current.children.get(number - 1);
                atMessage = false;
                inMultipart = true;
            } else if (number != 1) {
                return null;
            } else if (atMessage) {
                atMessage = false; // part 1 of a non-multipart message is its body
            } else if (!inMultipart) {
                return null;
            }
            if (current.kind == MimePart.Kind.MESSAGE && i < path.size() - 1) {
                current = current.message; // going on inside a message/rfc822 part
                atMessage = true;
                inMultipart = false;
            }
        }
        return current;
    }

    /** A copy of {@code [from, to)} for a BODY[] answer: NUL as 0x80, as a literal cannot carry it (Dovecot too). */
    private byte[] range(long from, long to) {
        if (from >= to) {
            return EMPTY;
        }
        byte[] copy = Arrays.copyOfRange(crlf, (int) from, (int) to);
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == 0) {
                copy[i] = (byte) 0x80;
            }
        }
        return copy;
    }

    private static byte[] withoutNul(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                byte[] copy = bytes.clone();
                for (int i = 0; i < copy.length; i++) {
                    if (copy[i] == 0) {
                        copy[i] = (byte) 0x80;
                    }
                }
                return copy;
            }
        }
        return bytes;
    }

    // ---- header fields

    /** One field of a header: its name (null for a line without colon) and where its lines are. */
    private record Field(String name, int start, int end) {
    }

    /** The fields of a header region, each with its continuation lines; the blank line that ends it is left out. */
    private List<Field> fields(long from, long to) {
        List<Field> fields = new ArrayList<>();
        int i = (int) from;
        int end = (int) to;
        while (i < end) {
            int lineEnd = lineEnd(i, end);
            if (lineEnd - i <= 2 && isBlankLine(i, lineEnd)) {
                break; // the blank line ending the header
            }
            int fieldEnd = lineEnd;
            while (fieldEnd < end && (crlf[fieldEnd] == ' ' || crlf[fieldEnd] == '\t')) {
                fieldEnd = lineEnd(fieldEnd, end);
            }
            fields.add(new Field(fieldName(i, lineEnd), i, fieldEnd));
            i = fieldEnd;
        }
        return fields;
    }

    private int lineEnd(int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (crlf[i] == '\n') {
                return i + 1;
            }
        }
        return limit;
    }

    private boolean isBlankLine(int from, int to) {
        return to - from == 2 ? crlf[from] == '\r' && crlf[from + 1] == '\n' : to - from == 1 && crlf[from] == '\n';
    }

    private String fieldName(int from, int lineEnd) {
        if (crlf[from] == ' ' || crlf[from] == '\t') {
            return null;
        }
        for (int i = from; i < lineEnd; i++) {
            if (crlf[i] == ':') {
                int end = i;
                while (end > from && (crlf[end - 1] == ' ' || crlf[end - 1] == '\t')) {
                    end--;
                }
                return new String(crlf, from, end - from, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    private byte[] headerFields(MimePart message, List<String> names, boolean not) {
        Set<String> wanted = new TreeSet<>();
        for (String name : names) {
            wanted.add(name.toLowerCase(Locale.ROOT));
        }
        var out = new ByteArrayOutputStream();
        for (Field f : fields(message.headerStart, message.bodyStart)) {
            boolean listed = f.name != null && wanted.contains(f.name);
            if (listed != not) {
                out.write(crlf, f.start, f.end - f.start);
                if (crlf[f.end - 1] != '\n') {
                    out.writeBytes(CRLF); // a header cut short by a boundary or the end of the message
                }
            }
        }
        // RFC 3501 §6.4.5: the blank line is always included "except in the case of a message which has no body
        // and no blank line". As Dovecot reads that: HEADER.FIELDS.NOT adds it only when the header has one;
        // HEADER.FIELDS also after fields it found, and for an empty header.
        boolean blankLine = endsWithBlankLine(message.headerStart, message.bodyStart);
        if (blankLine || !not && (out.size() > 0 || message.headerStart == message.bodyStart)) {
            out.writeBytes(CRLF);
        }
        return withoutNul(out.toByteArray());
    }

    // ---- BINARY

    private void binary(List<Integer> path, OutputStream out) throws IOException, UnknownTransferEncodingException {
        MimePart target = resolve(path);
        if (target == null) {
            return;
        }
        if (path.isEmpty()) {
            decodedCopy(root, 0, crlf.length, out);
        } else if (target.kind == MimePart.Kind.LEAF) {
            TransferEncoding encoding = encoding(target);
            encoding.decode(crlf, (int) target.bodyStart, (int) target.bodySize(), out);
        } else {
            decodedCopy(target.kind == MimePart.Kind.MESSAGE ? target.message : target, target.bodyStart,
                    target.bodyEnd, out);
        }
    }

    /**
     * Copies {@code [from, to)} with each encoded leaf below {@code top} replaced by its header, less its
     * Content-Transfer-Encoding and plus "Content-Transfer-Encoding: binary", and its decoded body.
     */
    private void decodedCopy(MimePart top, long from, long to, OutputStream out)
            throws IOException, UnknownTransferEncodingException {
        List<MimePart> leaves = new ArrayList<>();
        leaves(top, leaves);
        long at = from;
        for (MimePart leaf : leaves) {
            TransferEncoding encoding = encoding(leaf);
            if (encoding == TransferEncoding.IDENTITY || leaf.headerStart < at || leaf.bodyEnd > to) {
                continue;
            }
            out.write(crlf, (int) at, (int) (leaf.headerStart - at));
            for (Field f : fields(leaf.headerStart, leaf.bodyStart)) {
                if (!"content-transfer-encoding".equals(f.name)) {
                    out.write(crlf, f.start, f.end - f.start);
                    if (crlf[f.end - 1] != '\n') {
                        out.write(CRLF); // a header cut short by a boundary
                    }
                }
            }
            out.write(CTE_BINARY);
            if (endsWithBlankLine(leaf.headerStart, leaf.bodyStart)) {
                out.write(CRLF);
            }
            encoding.decode(crlf, (int) leaf.bodyStart, (int) leaf.bodySize(), out);
            at = leaf.bodyEnd;
        }
        out.write(crlf, (int) at, (int) (to - at));
    }

    private boolean endsWithBlankLine(long from, long to) {
        int end = (int) to;
        return end - from >= 2 && crlf[end - 1] == '\n' && crlf[end - 2] == '\r'
                && (end - 2 == from || crlf[end - 3] == '\n');
    }

    private static void leaves(MimePart part, List<MimePart> into) {
        switch (part.kind) {
            case LEAF -> into.add(part);
            case MESSAGE -> leaves(part.message, into);
            case MULTIPART -> part.children.forEach(child -> leaves(child, into));
        }
    }

    private static TransferEncoding encoding(MimePart leaf) throws UnknownTransferEncodingException {
        byte[] field = leaf.header.first("content-transfer-encoding");
        TransferEncoding encoding = TransferEncoding.of(field);
        if (encoding == TransferEncoding.UNKNOWN) {
            throw new UnknownTransferEncodingException(
                    ContentFields.latin1(ContentFields.transferEncoding(field)));
        }
        return encoding;
    }
}

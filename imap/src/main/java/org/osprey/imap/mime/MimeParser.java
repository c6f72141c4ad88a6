package org.osprey.imap.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Finds the MIME structure of a message in one pass over its CRLF form, line by line, keeping only header fields
 * and offsets, so a message of any size is parsed in little memory. The rules are Dovecot's (so FETCH answers
 * match what clients saw from Dovecot): a boundary line is one that starts with {@code --} and a boundary of the
 * enclosing multiparts (any suffix allowed; the longest match wins); a boundary of an outer multipart ends the
 * inner ones too; a boundary line inside a part's header ends the header (and the part, with an empty body); a
 * missing end boundary ends everything at the end of the input; a multipart without a usable boundary has no
 * parts; message/rfc822 bodies are parsed as messages whatever their transfer encoding. Which entity the line
 * break before a boundary belongs to follows Dovecot too, odd cases included (see {@link #endAtBoundary}).
 *
 * <p>Limits, as Dovecot 2.3's: 100 levels of nesting and 10,000 parts; beyond them a multipart or message part is
 * left as one opaque leaf. mime4j's {@code MimeTokenStream} is not used for the structure: it does not tell where
 * the CRLF before a boundary or the padding after it went, so it cannot give the exact octet offsets that
 * BODY[1.2] and RFC822.SIZE-consistent sizes need.
 */
final class MimeParser {
    static final int MAX_NESTING = 100;
    static final int MAX_PARTS = 10_000;
    static final int MAX_BOUNDARY = 1000;
    private static final int HEADER_KEEP = 64 * 1024;
    private static final int BODY_KEEP = MAX_BOUNDARY + 4;

    /** The boundaries in force, innermost first. */
    private record Boundaries(byte[] value, MimePart owner, Boundaries outer) {
    }

    private record Match(MimePart owner, boolean close) {
    }

    private final LineReader lines;
    private int parts = 1;
    /** The boundary line that last ended an entity, and where the entities around it end there. */
    private long endedAt = -1;
    private long outerEnd;
    private long outerEndLines;

    private MimeParser(InputStream crlf) {
        this.lines = new LineReader(crlf);
    }

    /** Parses a message given in CRLF form (see {@link CrlfInputStream}); never fails on bad MIME. */
    static MimePart parse(InputStream crlf) throws IOException {
        var parser = new MimeParser(crlf);
        var root = new MimePart(false);
        parser.entity(root, null, 0, true);
        return root;
    }

    /** Parses one entity; {@code isMessage}: the root or the message inside a message/rfc822 part. */
    private void entity(MimePart part, Boundaries boundaries, int depth, boolean isMessage) throws IOException {
        part.isMessage = isMessage;
        boolean hasBody = header(part, boundaries);
        var type = ContentFields.contentType(part.header.first("content-type"));
        if (type == null) {
            type = part.inDigest ? ContentFields.ContentType.MESSAGE_RFC822 : ContentFields.ContentType.TEXT_PLAIN;
        }
        part.contentType = type;
        boolean multipart = type.is("multipart");
        // message/global (RFC 6532) stays a leaf, as in Dovecot 2.3: IMAP4rev1 clients know the message form of
        // BODYSTRUCTURE only for message/rfc822, and the structure is shared by all sessions.
        boolean message = type.is("message", "rfc822");
        if ((multipart || message) && (depth + 1 >= MAX_NESTING || parts >= MAX_PARTS)) {
            part.unexpanded = true;
        } else if (multipart) {
            part.kind = MimePart.Kind.MULTIPART;
            if (hasBody) {
                multipart(part, boundaries, depth);
            }
            return;
        } else if (message) {
            part.kind = MimePart.Kind.MESSAGE;
            var inner = new MimePart(false);
            parts++;
            part.message = inner;
            if (!hasBody) {
                inner.headerStart = inner.bodyStart = inner.bodyEnd = part.bodyStart;
                inner.bodyStartLines = inner.bodyEndLines = part.bodyStartLines;
                return;
            }
            entity(inner, boundaries, depth + 1, true);
            if (lines.pushedBack() && lines.start == endedAt) {
                if (inner.bodyEnd == part.bodyStart && giveUpBlankLine(part)) {
                    inner.headerStart = inner.bodyStart = inner.bodyEnd = part.bodyStart;
                    inner.bodyStartLines = inner.bodyEndLines = part.bodyStartLines;
                } else {
                    part.bodyEnd = outerEnd;
                    part.bodyEndLines = outerEndLines;
                }
            } else {
                part.bodyEnd = inner.bodyEnd;
                part.bodyEndLines = inner.bodyEndLines;
            }
            return;
        }
        if (hasBody) {
            leaf(part, boundaries);
        }
    }

    /**
     * Reads a header up to its blank line (true: a body follows), or up to a boundary line or the end of input
     * (false: the part ends with its header, the body is empty).
     */
    private boolean header(MimePart part, Boundaries boundaries) throws IOException {
        part.headerStart = lines.position();
        long headerStartLines = lines.linesBeforePosition();
        while (true) {
            if (!lines.next(HEADER_KEEP)) {
                part.header.finish();
                part.bodyStart = part.bodyEnd = lines.position();
                part.bodyStartLines = part.bodyEndLines = lines.linesBeforePosition();
                return false;
            }
            if (lines.isBlank()) {
                part.header.finish();
                part.bodyStart = lines.position();
                part.bodyStartLines = lines.linesBeforePosition();
                return true;
            }
            if (boundaries != null && match(boundaries, null) != null) {
                // The header gives its last line break to the boundary; what encloses it keeps it.
                lines.pushBack();
                part.header.finish();
                part.bodyStart = part.bodyEnd = cutEnd(part.headerStart);
                part.bodyStartLines = part.bodyEndLines = cutLines(part.headerStart, headerStartLines);
                endedAt = lines.start;
                outerEnd = lines.start;
                outerEndLines = lines.linesBefore;
                return false;
            }
            part.header.line(lines.line, lines.kept);
        }
    }

    private void leaf(MimePart part, Boundaries boundaries) throws IOException {
        while (lines.next(BODY_KEEP)) {
            if (boundaries != null && match(boundaries, null) != null) {
                endAtBoundary(part);
                return;
            }
        }
        endAtEof(part);
    }

    private void multipart(MimePart part, Boundaries outer, int depth) throws IOException {
        byte[] boundary = part.contentType.param("boundary");
        Boundaries boundaries = outer;
        if (boundary != null && boundary.length > 0 && boundary.length <= MAX_BOUNDARY) {
            boundaries = new Boundaries(boundary, part, outer);
        }
        boolean digest = part.contentType.is("multipart", "digest");
        MimePart closed = null; // after its end boundary, a multipart's own boundary is just text
        while (lines.next(BODY_KEEP)) {
            Match m = boundaries == null ? null : match(boundaries, closed);
            if (m == null) {
                continue; // preamble or epilogue
            }
            if (m.owner != part) {
                endAtBoundary(part);
                return;
            }
            if (m.close) {
                closed = part;
                lines.markClose();
            } else if (parts < MAX_PARTS) {
                var child = new MimePart(digest);
                parts++;
                part.children.add(child);
                entity(child, boundaries, depth + 1, false);
            }
        }
        endAtEof(part);
    }

    /**
     * The current line is a boundary that ends {@code part}: give it back for the multipart that owns it. The
     * innermost entity it ends decides where all of them end: before the line break that precedes the boundary
     * (see {@link #cutEnd}); but when that line break is a header's (the blank line before an empty body, or the
     * last line of a header cut short), only that header loses it and the entities around it end at the boundary.
     * Odd, but what Dovecot reports (sizes of message/rfc822 parts show it).
     */
    private void endAtBoundary(MimePart part) {
        lines.pushBack();
        if (lines.start == endedAt) { // an inner entity ended here already
            part.bodyEnd = outerEnd;
            part.bodyEndLines = outerEndLines;
            return;
        }
        endedAt = lines.start;
        if (giveUpBlankLine(part)) {
            return;
        }
        part.bodyEnd = cutEnd(part.bodyStart);
        part.bodyEndLines = cutLines(part.bodyStart, part.bodyStartLines);
        outerEnd = part.bodyEnd;
        outerEndLines = part.bodyEndLines;
    }

    /**
     * When the current boundary line comes right after {@code part}'s blank line (an empty body), that blank
     * line's break goes to the boundary: the header ends without it (Dovecot: BODY[1.MIME] has no blank line).
     */
    private boolean giveUpBlankLine(MimePart part) {
        if (lines.start != part.bodyStart || part.bodyStart <= part.headerStart || lines.previousClose) {
            return false;
        }
        part.bodyStart -= lines.previousTerminator;
        part.bodyStartLines--;
        part.bodyEnd = part.bodyStart;
        part.bodyEndLines = part.bodyStartLines;
        outerEnd = lines.start;
        outerEndLines = lines.linesBefore;
        return true;
    }

    private void endAtEof(MimePart part) {
        part.bodyEnd = lines.position();
        part.bodyEndLines = lines.linesBeforePosition();
    }

    /**
     * Where a region that began at {@code regionStart} ends, the current line being a boundary: before the line
     * break that precedes it, which belongs to the boundary (RFC 2046 §5.1.1). Except, as in Dovecot, when that
     * line break ends a close delimiter ({@code --inner--}): it stays with it, so a message/rfc822 part whose
     * multipart closes right before the outer boundary includes that line break in its size.
     */
    private long cutEnd(long regionStart) {
        if (lines.start <= regionStart) {
            return regionStart;
        }
        return lines.previousClose ? lines.start : lines.start - lines.previousTerminator;
    }

    private long cutLines(long regionStart, long regionStartLines) {
        if (lines.start <= regionStart) {
            return regionStartLines;
        }
        return lines.previousClose ? lines.linesBefore : lines.linesBefore - 1;
    }

    /** The boundary the current line is (longest match; {@code skip}'s own no longer counts), or null. */
    private Match match(Boundaries boundaries, MimePart skip) {
        byte[] line = lines.line;
        int kept = lines.kept;
        if (kept < 2 || line[0] != '-' || line[1] != '-') {
            return null;
        }
        Boundaries best = null;
        for (Boundaries b = boundaries; b != null; b = b.outer) {
            int n = b.value.length;
            if (b.owner != skip && kept - 2 >= n && Arrays.equals(line, 2, 2 + n, b.value, 0, n)
                    && (best == null || n > best.value.length)) {
                best = b;
            }
        }
        if (best == null) {
            return null;
        }
        int after = 2 + best.value.length;
        boolean close = kept >= after + 2 && line[after] == '-' && line[after + 1] == '-';
        return new Match(best.owner, close);
    }
}

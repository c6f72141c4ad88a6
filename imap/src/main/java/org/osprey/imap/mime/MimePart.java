package org.osprey.imap.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * One entity of a parsed message, with offsets into the message's CRLF form: the header from {@code headerStart}
 * to {@code bodyStart} (blank line included), the body to {@code bodyEnd}. A body that ends at a boundary does not
 * include the line break before it (RFC 2046 §5.1.1 gives it to the boundary). Line counts are LFs before an
 * offset, so a body's lines are {@code bodyEndLines - bodyStartLines}.
 *
 * <p>A multipart has its parts as children; a message/rfc822 part has the message inside it as
 * {@link #message}, whose header starts where this part's body starts. The root is the message itself. A multipart
 * or message part not opened because of the nesting or part-count limits is {@link #unexpanded}: a leaf, reported
 * as application/octet-stream as Dovecot reports it. Built by {@link MimeParser}, then read-only.
 */
final class MimePart {
    enum Kind { LEAF, MULTIPART, MESSAGE }

    final boolean inDigest;
    /** The root or the message inside a message/rfc822 part (else a part of a multipart). */
    boolean isMessage;
    Kind kind = Kind.LEAF;
    boolean unexpanded;
    long headerStart;
    long bodyStart;
    long bodyEnd;
    long bodyStartLines;
    long bodyEndLines;
    final Header header = new Header();
    ContentFields.ContentType contentType = ContentFields.ContentType.TEXT_PLAIN;
    final List<MimePart> children = new ArrayList<>(0);
    MimePart message;

    MimePart(boolean inDigest) {
        this.inDigest = inDigest;
    }

    long bodySize() {
        return bodyEnd - bodyStart;
    }

    long bodyLines() {
        return bodyEndLines - bodyStartLines;
    }

    /**
     * A Content-* field's value as BODYSTRUCTURE reports it, or null. A message with neither MIME-Version nor
     * Content-Type is not MIME, and Dovecot's BODYSTRUCTURE ignores its Content-* fields (a plain 7bit text/plain),
     * though BINARY and PREVIEW still undo its transfer encoding; parts of a multipart always count.
     */
    byte[] contentField(String lowerCaseName) {
        if (isMessage && header.first("mime-version") == null && header.first("content-type") == null) {
            return null;
        }
        return header.first(lowerCaseName);
    }

    /** Whether BODYSTRUCTURE reports this part as text/* (with a line count). */
    boolean isText() {
        return !unexpanded && contentType.is("text");
    }
}

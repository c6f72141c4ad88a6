package org.osprey.imap.parse;

import java.util.List;
import java.util.Optional;

/**
 * One data item of FETCH (RFC 3501 §6.4.5, RFC 9051 §6.4.5, RFC 3516 BINARY, RFC 7162 MODSEQ, RFC 8970 PREVIEW).
 * The macros ALL, FAST and FULL are expanded by the parser into the items they stand for.
 */
public sealed interface FetchItem {

    /** The items without arguments. */
    enum Simple implements FetchItem {
        ENVELOPE, FLAGS, INTERNALDATE, UID, MODSEQ,
        /** RFC822.SIZE. */
        RFC822_SIZE,
        /** RFC822: the whole message, like BODY[] but answered as "RFC822" and setting \Seen. */
        RFC822,
        /** RFC822.HEADER: like BODY.PEEK[HEADER], answered as "RFC822.HEADER". */
        RFC822_HEADER,
        /** RFC822.TEXT: like BODY[TEXT], answered as "RFC822.TEXT". */
        RFC822_TEXT,
        /** BODY without a section: the non-extensible BODYSTRUCTURE. */
        BODY,
        BODYSTRUCTURE
    }

    /** {@code <offset.length>}: at most {@code length} octets from {@code offset}. */
    record Partial(long offset, long length) {
        public Partial {
            if (offset < 0 || length < 1) {
                throw new IllegalArgumentException("invalid partial");
            }
        }
    }

    /** BODY[section]&lt;partial&gt; or, with {@code peek}, BODY.PEEK[...] which leaves \Seen alone. */
    record BodySection(Section section, boolean peek, Optional<Partial> partial) implements FetchItem {
    }

    /** RFC 3516: BINARY[part]&lt;partial&gt; / BINARY.PEEK[...]: the part with its transfer encoding undone. */
    record Binary(List<Integer> part, boolean peek, Optional<Partial> partial) implements FetchItem {
        public Binary {
            part = List.copyOf(part);
        }
    }

    /** RFC 3516: BINARY.SIZE[part]. */
    record BinarySize(List<Integer> part) implements FetchItem {
        public BinarySize {
            part = List.copyOf(part);
        }
    }

    /** RFC 8970: PREVIEW, or PREVIEW (LAZY) when the server may answer NIL rather than compute it now. */
    record Preview(boolean lazy) implements FetchItem {
    }

    /** ALL (RFC 3501 §6.4.5). */
    List<FetchItem> ALL = List.of(Simple.FLAGS, Simple.INTERNALDATE, Simple.RFC822_SIZE, Simple.ENVELOPE);
    /** FAST. */
    List<FetchItem> FAST = List.of(Simple.FLAGS, Simple.INTERNALDATE, Simple.RFC822_SIZE);
    /** FULL. */
    List<FetchItem> FULL =
            List.of(Simple.FLAGS, Simple.INTERNALDATE, Simple.RFC822_SIZE, Simple.ENVELOPE, Simple.BODY);
}

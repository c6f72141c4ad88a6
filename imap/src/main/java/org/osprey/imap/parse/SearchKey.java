package org.osprey.imap.parse;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A search criterion of SEARCH, SORT and THREAD (RFC 3501 §6.4.4, RFC 9051 §6.4.4, RFC 7162 §3.1.5), as a tree.
 * Keys that are shorthand are reduced to a few shapes so the processor has fewer cases: flag keys become
 * {@link HasFlag}/{@link LacksFlag} (NEW is RECENT UNSEEN, OLD is NOT RECENT), FROM/TO/CC/BCC/SUBJECT become
 * {@link Header} with the field name, the six date keys become {@link Dated}. A list of keys (the top level, or in
 * parentheses) is {@link And}; a single key is never wrapped.
 */
public sealed interface SearchKey {

    record All() implements SearchKey {
    }

    /** A set of message sequence numbers (possibly {@code $}). */
    record Sequence(SequenceSet set) implements SearchKey {
    }

    /** UID set. */
    record Uid(SequenceSet set) implements SearchKey {
    }

    /** ANSWERED, DELETED, DRAFT, FLAGGED, SEEN, RECENT, KEYWORD. */
    record HasFlag(Flag flag) implements SearchKey {
    }

    /** UNANSWERED, UNDELETED, UNDRAFT, UNFLAGGED, UNSEEN, UNKEYWORD, OLD. */
    record LacksFlag(Flag flag) implements SearchKey {
    }

    /**
     * The header field {@code field} contains {@code value} (HEADER, and BCC CC FROM SUBJECT TO with the field names
     * "Bcc" "Cc" "From" "Subject" "To"). An empty value matches every message having the field.
     */
    record Header(String field, String value) implements SearchKey {
    }

    /** BODY: the body (not the header) contains the string. */
    record Body(String value) implements SearchKey {
    }

    /** TEXT: header or body contains the string. */
    record Text(String value) implements SearchKey {
    }

    enum DateField {
        /** BEFORE, ON, SINCE: the internal date, in the server's time zone. */
        INTERNAL,
        /** SENTBEFORE, SENTON, SENTSINCE: the Date header, its time zone ignored. */
        SENT
    }

    enum Relation { BEFORE, ON, SINCE }

    record Dated(DateField field, Relation relation, LocalDate date) implements SearchKey {
    }

    /** LARGER: RFC822.SIZE greater than {@code size}. */
    record Larger(long size) implements SearchKey {
    }

    /** SMALLER: RFC822.SIZE less than {@code size}. */
    record Smaller(long size) implements SearchKey {
    }

    enum EntryType { PRIV, SHARED, ALL }

    /** The metadata entry of MODSEQ "/flags/\Draft" all (RFC 7162 §3.1.5). */
    record ModSeqEntry(Flag flag, EntryType type) {
    }

    /** MODSEQ [entry type] n: messages whose mod-sequence is at least {@code modSeq}. */
    record ModSeq(Optional<ModSeqEntry> entry, long modSeq) implements SearchKey {
    }

    record Not(SearchKey key) implements SearchKey {
    }

    record Or(SearchKey left, SearchKey right) implements SearchKey {
    }

    /** All of the keys (at least two). */
    record And(List<SearchKey> keys) implements SearchKey {
        public And {
            keys = List.copyOf(keys);
        }
    }
}

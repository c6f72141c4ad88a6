package org.osprey.imap.search;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.osprey.store.index.FolderIndex;
import org.osprey.store.index.MessageEntry;

/**
 * What SEARCH SENT* and SUBJECT/FROM/TO/CC/BCC, SORT and THREAD need from a message's header, decoded and reduced to
 * comparable keys, small enough to cache: a bounded LRU cache shared by all sessions ({@value #CACHE_SIZE} messages,
 * roughly 1 KB each), keyed by folder directory and file base name (a Maildir file's content never changes, and its
 * base name is unique), spares a repeated SORT or quick-filter SEARCH of a big folder from reading every file again.
 *
 * @param sentDate     the Date header as epoch millis (its zone applied, so UTC), or {@link #NO_DATE}
 * @param sentDay      the Date header's calendar day as written (zone ignored, RFC 9051 SENTON), or null
 * @param subject      the base subject (RFC 5256 §2.1), i;unicode-casemap key
 * @param reply        whether the subject had a Re:/Fwd: leader, a (fwd) trailer or a [fwd: ] wrapper
 * @param from         the first From address's local part (RFC 5256 SORT FROM), casemap key; "" when none
 * @param to           the same for To
 * @param cc           the same for Cc
 * @param displayFrom  RFC 5957 DISPLAYFROM: the first From address's display name, else its addr-spec; casemap key
 * @param displayTo    the same for To
 * @param messageId    the Message-ID (without angle brackets), or null when missing or invalid
 * @param references   the parents for THREAD=REFERENCES, oldest first: the References ids, or else the first
 *                     In-Reply-To id (RFC 5256 §4 step 1A); at most {@link #MAX_REFERENCES}, the newest kept
 * @param searchable   for SEARCH SUBJECT, FROM, TO, CC and BCC (the fields clients' quick filters ask for most):
 *                     the casemap key of each such field's decoded value (several fields joined by a line break),
 *                     by lower-case field name; a field the message lacks is absent
 */
record HeaderSummary(long sentDate, LocalDate sentDay, String subject, boolean reply, String from, String to,
                     String cc, String displayFrom, String displayTo, String messageId, List<String> references,
                     Map<String, String> searchable) {
    static final long NO_DATE = Long.MIN_VALUE;
    static final int MAX_REFERENCES = 256;
    static final int CACHE_SIZE = 100_000;

    private static final Map<Key, HeaderSummary> CACHE = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, HeaderSummary> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private record Key(Path folder, String baseName) {
    }

    /** The fields kept in {@link #searchable}, lower case. */
    static final List<String> SEARCHABLE = List.of("subject", "from", "to", "cc", "bcc");

    HeaderSummary {
        references = List.copyOf(references);
        searchable = Map.copyOf(searchable);
    }

    /** The summary of a message, from the cache or read from its file. */
    static HeaderSummary of(FolderIndex folder, MessageEntry message) throws IOException {
        Key key = new Key(folder.directory(), message.baseName());
        synchronized (CACHE) {
            HeaderSummary cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
        }
        MessageHeader header = MessageHeader.read(folder, message);
        HeaderSummary summary = of(header);
        if (header != MessageHeader.EMPTY) {
            synchronized (CACHE) {
                CACHE.put(key, summary);
            }
        }
        return summary;
    }

    /** The summary of a parsed header. */
    static HeaderSummary of(MessageHeader header) {
        OffsetDateTime date = DateHeader.parse(header.first("Date"));
        String subjectValue = header.first("Subject");
        BaseSubject base = BaseSubject.of(subjectValue == null ? "" : MessageHeader.decodeWords(subjectValue));
        Mailbox from = firstMailbox(header, "From");
        Mailbox to = firstMailbox(header, "To");
        Mailbox cc = firstMailbox(header, "Cc");
        List<String> ids = MessageIds.parse(header.first("Message-ID"));
        List<String> references = new ArrayList<>();
        for (String value : header.raw("References")) {
            references.addAll(MessageIds.parse(value));
        }
        if (references.isEmpty()) {
            List<String> inReplyTo = MessageIds.parse(header.first("In-Reply-To"));
            if (!inReplyTo.isEmpty()) {
                references.add(inReplyTo.getFirst());
            }
        }
        if (references.size() > MAX_REFERENCES) {
            references = references.subList(references.size() - MAX_REFERENCES, references.size());
        }
        Map<String, String> searchable = new HashMap<>();
        for (String name : SEARCHABLE) {
            List<String> values = header.decoded(name);
            if (!values.isEmpty()) {
                searchable.put(name, UnicodeCasemap.key(String.join("\n", values)));
            }
        }
        return new HeaderSummary(date == null ? NO_DATE : date.toInstant().toEpochMilli(),
                date == null ? null : date.toLocalDate(), UnicodeCasemap.key(base.text()), base.replyOrForward(),
                localPart(from), localPart(to), localPart(cc), display(from), display(to),
                ids.isEmpty() ? null : ids.getFirst(), references, searchable);
    }

    private static Mailbox firstMailbox(MessageHeader header, String field) {
        String value = header.first(field);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            AddressList list = LenientAddressParser.DEFAULT.parseAddressList(value);
            var mailboxes = list.flatten();
            return mailboxes.isEmpty() ? null : mailboxes.get(0);
        } catch (RuntimeException e) {
            return null; // unparsable: no address
        }
    }

    private static String localPart(Mailbox mailbox) {
        return mailbox == null || mailbox.getLocalPart() == null ? "" : UnicodeCasemap.key(mailbox.getLocalPart());
    }

    /** RFC 5957 §3: the display name if there is a non-empty one, else the addr-spec. */
    private static String display(Mailbox mailbox) {
        if (mailbox == null) {
            return "";
        }
        String name = mailbox.getName();
        if (name != null && !name.isBlank()) {
            return UnicodeCasemap.key(MessageHeader.decodeWords(name).strip());
        }
        return UnicodeCasemap.key(mailbox.getAddress() == null ? "" : mailbox.getAddress());
    }

    /** Empties the shared cache (tests). */
    static void clearCache() {
        synchronized (CACHE) {
            CACHE.clear();
        }
    }
}

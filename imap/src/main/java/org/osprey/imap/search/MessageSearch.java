package org.osprey.imap.search;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osprey.imap.parse.Flag;
import org.osprey.imap.parse.SearchKey;
import org.osprey.imap.parse.SequenceSet;
import org.osprey.store.index.Keywords;
import org.osprey.store.index.MaildirFlags;
import org.osprey.store.index.MessageEntry;
import org.osprey.store.search.FullTextIndex;
import org.osprey.store.search.MessageText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates a SEARCH key (RFC 3501 §6.4.4, RFC 9051 §6.4.4, RFC 7162 MODSEQ, RFC 5182 {@code $}) against the
 * selected folder, for SEARCH, SORT and THREAD. Messages are tested one at a time with the key's cheap parts first
 * — AND's and OR's operands are reordered by cost: index data (sequence, UID, flags, sizes, internal date, MODSEQ),
 * then full-text sets, then header fields, then reading whole messages — so a header is read only for a message
 * still a candidate, at most once per message, and only its header part ({@link MessageHeader}). Date, Subject,
 * From, To, Cc and Bcc come from {@link HeaderSummary}'s cache when it has the message.
 *
 * <p>Semantics: strings match as substrings under i;unicode-casemap ({@link UnicodeCasemap}); HEADER (and FROM, TO,
 * CC, BCC, SUBJECT) compares RFC 2047-decoded field values, an empty string matching every message with the field.
 * SENTBEFORE/SENTON/SENTSINCE use the Date header's day with its zone ignored, or the internal date when there is no
 * parsable Date (as SORT does, RFC 5256 §2.2). BEFORE/ON/SINCE use the internal date's day in the server's zone.
 * MODSEQ with an entry name compares the message's MODSEQ (the store keeps no per-flag MODSEQ, which RFC 7162 §3.1.5
 * allows). BODY and TEXT are answered by the user's {@link FullTextIndex} after catching it up with the folder, with
 * its word-prefix semantics (a documented deviation from substring matching); when there is no index, it fails, or the
 * string has no word in it (only punctuation), the messages are read and searched for the exact substring instead.
 */
public final class MessageSearch {
    private static final Logger log = LoggerFactory.getLogger(MessageSearch.class);

    private final SearchContext context;
    private final List<MessageEntry> messages;
    /** Message sets computed once per key: sequence and UID sets, full-text results (null: scan instead). */
    private final Map<SearchKey, BitSet> sets = new IdentityHashMap<>();
    private final Map<SearchKey, String> needles = new IdentityHashMap<>();
    private final Map<String, Integer> flagBits = new HashMap<>();
    private Keywords flagTable;
    private boolean caughtUp;
    private boolean fullTextFailed;

    // the message being tested, and what was read of it
    private int position = -1;
    private MessageEntry entry;
    private MessageHeader header;
    private HeaderSummary summary;
    private MessageText text;

    private MessageSearch(SearchContext context) {
        this.context = context;
        this.messages = context.messages();
    }

    /** The positions (sequence number - 1) of the messages matching {@code key}, ascending. */
    public static int[] search(SearchKey key, SearchContext context) throws IOException {
        MessageSearch search = new MessageSearch(context);
        SearchKey ordered = cheapFirst(key, context.fullTextIndex() != null);
        int[] found = new int[search.messages.size()];
        int count = 0;
        for (int i = 0; i < search.messages.size(); i++) {
            search.select(i);
            if (search.matches(ordered)) {
                found[count++] = i;
            }
        }
        return Arrays.copyOf(found, count);
    }

    /** True when the key uses MODSEQ, so the SEARCH response carries (MODSEQ n) (RFC 7162 §3.1.5). */
    public static boolean usesModSeq(SearchKey key) {
        return switch (key) {
            case SearchKey.ModSeq m -> true;
            case SearchKey.Not n -> usesModSeq(n.key());
            case SearchKey.Or o -> usesModSeq(o.left()) || usesModSeq(o.right());
            case SearchKey.And a -> a.keys().stream().anyMatch(MessageSearch::usesModSeq);
            default -> false;
        };
    }

    /** The highest MODSEQ among the messages at these positions; 0 when there are none. */
    public static long highestModSeq(int[] positions, SearchContext context) {
        long highest = 0;
        for (int p : positions) {
            highest = Math.max(highest, context.messages().get(p).modSeq());
        }
        return highest;
    }

    // ---- ordering by cost

    private static final int INDEX = 0;
    private static final int FULL_TEXT = 1;
    private static final int HEADER = 2;
    private static final int READ_MESSAGE = 3;

    private static int cost(SearchKey key, boolean fullText) {
        return switch (key) {
            case SearchKey.Header h -> HEADER;
            case SearchKey.Dated d -> d.field() == SearchKey.DateField.SENT ? HEADER : INDEX;
            case SearchKey.Body b -> fullText ? FULL_TEXT : READ_MESSAGE;
            case SearchKey.Text t -> fullText ? FULL_TEXT : READ_MESSAGE;
            case SearchKey.Not n -> cost(n.key(), fullText);
            case SearchKey.Or o -> Math.max(cost(o.left(), fullText), cost(o.right(), fullText));
            case SearchKey.And a -> a.keys().stream().mapToInt(k -> cost(k, fullText)).max().orElse(INDEX);
            default -> INDEX;
        };
    }

    /** The same key with the operands of every AND and OR in ascending cost (both are commutative). */
    private static SearchKey cheapFirst(SearchKey key, boolean fullText) {
        return switch (key) {
            case SearchKey.Not n -> new SearchKey.Not(cheapFirst(n.key(), fullText));
            case SearchKey.Or o -> {
                SearchKey left = cheapFirst(o.left(), fullText);
                SearchKey right = cheapFirst(o.right(), fullText);
                yield cost(right, fullText) < cost(left, fullText) ? new SearchKey.Or(right, left)
                        : new SearchKey.Or(left, right);
            }
            case SearchKey.And a -> {
                List<SearchKey> keys = new ArrayList<>();
                for (SearchKey k : a.keys()) {
                    keys.add(cheapFirst(k, fullText));
                }
                keys.sort((x, y) -> Integer.compare(cost(x, fullText), cost(y, fullText))); // stable
                yield new SearchKey.And(keys);
            }
            default -> key;
        };
    }

    // ---- testing one message

    private void select(int i) {
        position = i;
        entry = messages.get(i);
        header = null;
        summary = null;
        text = null;
    }

    private boolean matches(SearchKey key) throws IOException {
        return switch (key) {
            case SearchKey.All a -> true;
            case SearchKey.Sequence s -> set(key, () -> sequenceSet(s.set())).get(position);
            case SearchKey.Uid u -> set(key, () -> uidSet(u.set())).get(position);
            case SearchKey.HasFlag f -> hasFlag(f.flag());
            case SearchKey.LacksFlag f -> !hasFlag(f.flag());
            case SearchKey.Header h -> headerContains(key, h.field(), h.value());
            case SearchKey.Body b -> textContains(key, b.value(), FullTextIndex.Field.BODY);
            case SearchKey.Text t -> textContains(key, t.value(), FullTextIndex.Field.TEXT);
            case SearchKey.Dated d -> dated(d);
            case SearchKey.Larger l -> entry.virtualSize() > l.size();
            case SearchKey.Smaller s -> entry.virtualSize() < s.size();
            case SearchKey.ModSeq m -> entry.modSeq() >= m.modSeq();
            case SearchKey.Not n -> !matches(n.key());
            case SearchKey.Or o -> matches(o.left()) || matches(o.right());
            case SearchKey.And a -> {
                for (SearchKey k : a.keys()) {
                    if (!matches(k)) {
                        yield false;
                    }
                }
                yield true;
            }
        };
    }

    private interface SetMaker {
        BitSet make() throws IOException;
    }

    private BitSet set(SearchKey key, SetMaker maker) throws IOException {
        BitSet set = sets.get(key);
        if (set == null && !sets.containsKey(key)) {
            set = maker.make();
            sets.put(key, set);
        }
        return set;
    }

    // ---- sequence numbers and UIDs

    private BitSet sequenceSet(SequenceSet set) {
        int n = messages.size();
        BitSet result = new BitSet(n);
        if (n > 0) {
            for (SequenceSet.Range range : set.ranges()) {
                long low = range.low(n);
                long high = Math.min(range.high(n), n);
                if (low <= high) {
                    result.set((int) low - 1, (int) high);
                }
            }
        }
        if (set.savedResult()) {
            result.or(savedResult());
        }
        return result;
    }

    private BitSet uidSet(SequenceSet set) {
        int n = messages.size();
        BitSet result = new BitSet(n);
        if (n > 0) {
            long largest = messages.get(n - 1).uid(); // "*" is the largest UID in use (RFC 9051 §6.4.8)
            for (SequenceSet.Range range : set.ranges()) {
                int from = firstAtOrAbove(range.low(largest));
                int to = firstAtOrAbove(range.high(largest) + 1);
                if (from < to) {
                    result.set(from, to);
                }
            }
        }
        if (set.savedResult()) {
            result.or(savedResult());
        }
        return result;
    }

    /** RFC 5182: {@code $} is the saved result, as UIDs; those expunged since are gone. */
    private BitSet savedResult() {
        BitSet result = new BitSet(messages.size());
        for (long uid : context.savedResult()) {
            int at = firstAtOrAbove(uid);
            if (at < messages.size() && messages.get(at).uid() == uid) {
                result.set(at);
            }
        }
        return result;
    }

    /** The position of the first message whose UID is at least {@code uid} (messages are in UID order). */
    private int firstAtOrAbove(long uid) {
        int low = 0;
        int high = messages.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (messages.get(mid).uid() < uid) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private BitSet positionsOf(long[] sortedUids) {
        BitSet result = new BitSet(messages.size());
        int at = 0;
        for (long uid : sortedUids) {
            while (at < messages.size() && messages.get(at).uid() < uid) {
                at++;
            }
            if (at < messages.size() && messages.get(at).uid() == uid) {
                result.set(at);
            }
        }
        return result;
    }

    // ---- flags

    private boolean hasFlag(Flag flag) {
        if (flag.equals(Flag.RECENT)) {
            return context.isRecent(entry.uid());
        }
        if (entry.keywords() != flagTable) {
            flagTable = entry.keywords();
            flagBits.clear();
        }
        int bits = flagBits.computeIfAbsent(flag.name(), name -> {
            try {
                return MaildirFlags.bits(List.of(name), flagTable, true);
            } catch (IllegalArgumentException e) {
                return 0; // a flag the store cannot hold (an unknown system flag) is on no message
            }
        });
        return (entry.flagBits() & bits) != 0;
    }

    // ---- dates

    private boolean dated(SearchKey.Dated key) throws IOException {
        LocalDate day = null;
        if (key.field() == SearchKey.DateField.SENT) {
            day = summary().sentDay();
        }
        if (day == null) {
            day = Instant.ofEpochMilli(entry.internalDate()).atZone(context.zone()).toLocalDate();
        }
        return switch (key.relation()) {
            case BEFORE -> day.isBefore(key.date());
            case ON -> day.equals(key.date());
            case SINCE -> !day.isBefore(key.date());
        };
    }

    // ---- header fields

    private boolean headerContains(SearchKey key, String field, String value) throws IOException {
        String lower = field.toLowerCase(Locale.ROOT);
        if (HeaderSummary.SEARCHABLE.contains(lower)) {
            String cached = summary().searchable().get(lower);
            return cached != null && (value.isEmpty() || cached.contains(needle(key, value)));
        }
        MessageHeader fields = header();
        if (value.isEmpty()) {
            return fields.has(field); // RFC 9051 §6.4.4: an empty string matches every message with the field
        }
        String needle = needle(key, value);
        for (String v : fields.decoded(field)) {
            if (UnicodeCasemap.key(v).contains(needle)) {
                return true;
            }
        }
        return false;
    }

    private String needle(SearchKey key, String value) {
        return needles.computeIfAbsent(key, k -> UnicodeCasemap.key(value));
    }

    private MessageHeader header() throws IOException {
        if (header == null) {
            header = MessageHeader.read(context.folderIndex(), entry);
        }
        return header;
    }

    private HeaderSummary summary() throws IOException {
        if (summary == null) {
            summary = header != null ? HeaderSummary.of(header) : HeaderSummary.of(context.folderIndex(), entry);
        }
        return summary;
    }

    // ---- body and text

    private boolean textContains(SearchKey key, String value, FullTextIndex.Field field) throws IOException {
        if (value.isEmpty()) {
            return true;
        }
        BitSet indexed = set(key, () -> fullTextSet(value, field));
        if (indexed != null) {
            return indexed.get(position);
        }
        return scan(key, value, field);
    }

    /** The positions the full-text index finds, or null when it cannot answer (then messages are read). */
    private BitSet fullTextSet(String value, FullTextIndex.Field field) {
        FullTextIndex index = context.fullTextIndex();
        if (index == null || fullTextFailed || !index.searchable(value)) {
            return null;
        }
        try {
            if (!caughtUp) {
                index.catchUp(context.folderIndex(), context.folderKey());
                caughtUp = true;
            }
            long validity = context.folderIndex().uidValidity();
            return positionsOf(index.search(context.folderKey(), validity, field, value));
        } catch (IOException | RuntimeException e) {
            log.warn("full-text search in {} failed, reading the messages instead: {}",
                    context.folderIndex().directory(), e.toString());
            fullTextFailed = true;
            return null;
        }
    }

    /** Reads the message and looks for the exact substring (i;unicode-casemap) in its text. */
    private boolean scan(SearchKey key, String value, FullTextIndex.Field field) throws IOException {
        if (text == null) {
            try (FileChannel channel = context.folderIndex().openMessage(entry.uid());
                 InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 65536)) {
                text = MessageText.extract(in);
            } catch (NoSuchFileException gone) {
                text = new MessageText(List.of(), List.of());
            }
        }
        String needle = needle(key, value);
        if (field != FullTextIndex.Field.BODY) {
            for (String v : text.header()) {
                if (UnicodeCasemap.key(v).contains(needle)) {
                    return true;
                }
            }
        }
        if (field != FullTextIndex.Field.HEADER) {
            for (String v : text.body()) {
                if (UnicodeCasemap.key(v).contains(needle)) {
                    return true;
                }
            }
        }
        return false;
    }
}

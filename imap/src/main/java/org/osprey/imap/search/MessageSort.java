package org.osprey.imap.search;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import org.osprey.imap.parse.ImapCommand.SortCriterion;
import org.osprey.imap.parse.ImapCommand.SortKey;
import org.osprey.store.index.MessageEntry;

/**
 * SORT (RFC 5256 §3, with RFC 5957's DISPLAYFROM and DISPLAYTO): orders the positions a search found. Strings compare
 * under i;unicode-casemap; ARRIVAL is the internal date; DATE the Date header normalized to UTC, or the internal
 * date without a parsable one (§2.2); SIZE is RFC822.SIZE; SUBJECT the base subject (§2.1); FROM, TO and CC the
 * local part of the field's first address; DISPLAYFROM/DISPLAYTO its display name, else its addr-spec. A missing
 * field or address sorts as the empty string. REVERSE reverses one criterion; messages equal under all criteria
 * stay in sequence-number order (§3), whatever was reversed. Headers are read once per message, through
 * {@link HeaderSummary}'s cache.
 */
public final class MessageSort {
    private MessageSort() {
    }

    /** {@code positions} (sequence number - 1) in the order {@code criteria} give; a new array. */
    public static int[] sort(List<SortCriterion> criteria, int[] positions, SearchContext context) throws IOException {
        List<MessageEntry> messages = context.messages();
        boolean needsHeader = criteria.stream().anyMatch(c -> c.key() != SortKey.ARRIVAL && c.key() != SortKey.SIZE);
        HeaderSummary[] summaries = new HeaderSummary[positions.length];
        Integer[] order = new Integer[positions.length]; // indices into positions
        for (int i = 0; i < positions.length; i++) {
            order[i] = i;
            if (needsHeader) {
                summaries[i] = HeaderSummary.of(context.folderIndex(), messages.get(positions[i]));
            }
        }
        Comparator<Integer> comparator = null;
        for (SortCriterion criterion : criteria) {
            Comparator<Integer> one = compare(criterion.key(), positions, summaries, messages);
            if (criterion.reverse()) {
                one = one.reversed();
            }
            comparator = comparator == null ? one : comparator.thenComparing(one);
        }
        Comparator<Integer> bySequence = Comparator.comparingInt(i -> positions[i]);
        java.util.Arrays.sort(order, comparator == null ? bySequence : comparator.thenComparing(bySequence));
        int[] sorted = new int[positions.length];
        for (int i = 0; i < order.length; i++) {
            sorted[i] = positions[order[i]];
        }
        return sorted;
    }

    private static Comparator<Integer> compare(SortKey key, int[] positions, HeaderSummary[] s,
                                               List<MessageEntry> messages) {
        return switch (key) {
            case ARRIVAL -> Comparator.comparingLong(i -> messages.get(positions[i]).internalDate());
            case SIZE -> Comparator.comparingLong(i -> messages.get(positions[i]).virtualSize());
            case DATE -> Comparator.comparingLong(i -> sentDate(s[i], messages.get(positions[i])));
            case SUBJECT -> (a, b) -> UnicodeCasemap.compare(s[a].subject(), s[b].subject());
            case FROM -> (a, b) -> UnicodeCasemap.compare(s[a].from(), s[b].from());
            case TO -> (a, b) -> UnicodeCasemap.compare(s[a].to(), s[b].to());
            case CC -> (a, b) -> UnicodeCasemap.compare(s[a].cc(), s[b].cc());
            case DISPLAYFROM -> (a, b) -> UnicodeCasemap.compare(s[a].displayFrom(), s[b].displayFrom());
            case DISPLAYTO -> (a, b) -> UnicodeCasemap.compare(s[a].displayTo(), s[b].displayTo());
        };
    }

    /** RFC 5256 §2.2: the sent date, or the internal date when the Date header is missing or unparsable. */
    static long sentDate(HeaderSummary summary, MessageEntry message) {
        return summary.sentDate() == HeaderSummary.NO_DATE ? message.internalDate() : summary.sentDate();
    }
}

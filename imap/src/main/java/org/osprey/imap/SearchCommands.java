package org.osprey.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.osprey.imap.parse.ImapCommand;
import org.osprey.imap.parse.SearchKey;
import org.osprey.imap.search.MessageSearch;
import org.osprey.imap.search.MessageSort;
import org.osprey.imap.search.MessageThreads;
import org.osprey.imap.search.SearchContext;
import org.osprey.store.index.FolderIndex;
import org.osprey.store.index.MessageEntry;
import org.osprey.store.search.FullTextIndex;
import org.osprey.store.search.FullTextIndexes;
import java.time.ZoneId;

/**
 * SEARCH (RFC 9051 §6.4.4, with ESEARCH RFC 4731, SEARCHRES RFC 5182, CONDSTORE's MODSEQ), SORT and THREAD
 * (RFC 5256): the evaluation is {@link MessageSearch}'s; this class shapes the responses.
 */
final class SearchCommands {
    private final ImapSession session;
    private final SelectedFolder selected;

    SearchCommands(ImapSession session) {
        this.session = session;
        this.selected = session.selected;
    }

    String search(ImapCommand.Search c) throws ImapException, IOException {
        boolean modSeqKey = usesModSeq(c.key());
        if (modSeqKey) {
            session.condstore = true;
        }
        int[] matches = evaluate(c.key());
        Set<ImapCommand.SearchReturn> returns = c.returns();
        boolean extended = !returns.isEmpty() || session.rev2;
        long highestModSeq = 0;
        if (modSeqKey) {
            for (int p : matches) {
                highestModSeq = Math.max(highestModSeq, selected.at(p).modSeq());
            }
        }
        if (returns.contains(ImapCommand.SearchReturn.SAVE)) {
            save(matches, returns);
        }
        if (!extended) {
            StringBuilder line = new StringBuilder("SEARCH");
            for (int p : matches) {
                line.append(' ').append(c.uid() ? selected.at(p).uid() : p + 1);
            }
            if (modSeqKey && matches.length > 0) {
                line.append(" (MODSEQ ").append(highestModSeq).append(')');
            }
            session.out.untagged(line.toString());
        } else if (!(returns.size() == 1 && returns.contains(ImapCommand.SearchReturn.SAVE))) {
            session.out.untagged(esearch(c, matches, returns, modSeqKey ? highestModSeq : 0));
        }
        session.sendUpdates(c.uid());
        return "OK " + c.name() + " completed";
    }

    /** RFC 5182 §2.4: with MIN or MAX (and not ALL/COUNT), SAVE keeps only those. */
    private void save(int[] matches, Set<ImapCommand.SearchReturn> returns) {
        boolean onlyMinMax = (returns.contains(ImapCommand.SearchReturn.MIN)
                || returns.contains(ImapCommand.SearchReturn.MAX))
                && !returns.contains(ImapCommand.SearchReturn.ALL) && !returns.contains(ImapCommand.SearchReturn.COUNT);
        List<Long> uids = new ArrayList<>();
        if (onlyMinMax && matches.length > 0) {
            if (returns.contains(ImapCommand.SearchReturn.MIN)) {
                uids.add(selected.at(matches[0]).uid());
            }
            if (returns.contains(ImapCommand.SearchReturn.MAX) && matches.length > 1) {
                uids.add(selected.at(matches[matches.length - 1]).uid());
            }
        } else if (!onlyMinMax) {
            for (int p : matches) {
                uids.add(selected.at(p).uid());
            }
        }
        selected.saveResult(uids);
    }

    private String esearch(ImapCommand.Search c, int[] matches, Set<ImapCommand.SearchReturn> requested,
                           long highestModSeq) {
        Set<ImapCommand.SearchReturn> returns = requested.isEmpty()
                || (requested.size() == 1 && requested.contains(ImapCommand.SearchReturn.SAVE))
                ? Set.of(ImapCommand.SearchReturn.ALL) : requested;
        StringBuilder line = new StringBuilder("ESEARCH (TAG ").append(Names.quote(c.tag())).append(')');
        if (c.uid()) {
            line.append(" UID");
        }
        if (matches.length > 0) {
            if (returns.contains(ImapCommand.SearchReturn.MIN)) {
                line.append(" MIN ").append(number(matches[0], c.uid()));
            }
            if (returns.contains(ImapCommand.SearchReturn.MAX)) {
                line.append(" MAX ").append(number(matches[matches.length - 1], c.uid()));
            }
            if (returns.contains(ImapCommand.SearchReturn.ALL)) {
                TreeSet<Long> numbers = new TreeSet<>();
                for (int p : matches) {
                    numbers.add(number(p, c.uid()));
                }
                line.append(" ALL ").append(UidSets.format(numbers));
            }
        }
        if (returns.contains(ImapCommand.SearchReturn.COUNT)) {
            line.append(" COUNT ").append(matches.length);
        }
        if (highestModSeq > 0) {
            line.append(" MODSEQ ").append(highestModSeq);
        }
        return line.toString();
    }

    private long number(int position, boolean uid) {
        return uid ? selected.at(position).uid() : position + 1;
    }

    String sort(ImapCommand.Sort c) throws ImapException, IOException {
        int[] matches = evaluate(c.key());
        int[] sorted = MessageSort.sort(c.criteria(), matches, context());
        StringBuilder line = new StringBuilder("SORT");
        for (int p : sorted) {
            line.append(' ').append(number(p, c.uid()));
        }
        session.out.untagged(line.toString());
        session.sendUpdates(c.uid());
        return "OK " + c.name() + " completed";
    }

    String thread(ImapCommand.Thread c) throws ImapException, IOException {
        int[] matches = evaluate(c.key());
        String threads = MessageThreads.thread(c.algorithm(), matches, context(), c.uid());
        session.out.untagged("THREAD" + (threads.isEmpty() ? "" : " " + threads));
        session.sendUpdates(c.uid());
        return "OK " + c.name() + " completed";
    }

    private int[] evaluate(SearchKey key) throws ImapException, IOException {
        return MessageSearch.search(key, context());
    }

    private SearchContext context() throws IOException {
        FullTextIndexes.Lease fullText = session.fullText();
        return new SearchContext() {
            @Override
            public List<MessageEntry> messages() {
                return selected.messages();
            }

            @Override
            public boolean isRecent(long uid) {
                return selected.isRecent(uid);
            }

            @Override
            public Set<Long> savedResult() {
                return Set.copyOf(selected.savedResult());
            }

            @Override
            public FolderIndex folderIndex() {
                return selected.index();
            }

            @Override
            public FullTextIndex fullTextIndex() {
                return fullText.index();
            }

            @Override
            public String folderKey() {
                return FullTextIndex.folderKey(session.mailboxes.maildir(), selected.directory);
            }

            @Override
            public ZoneId zone() {
                return session.protocol.zone;
            }
        };
    }

    private static boolean usesModSeq(SearchKey key) {
        return switch (key) {
            case SearchKey.ModSeq _ -> true;
            case SearchKey.Not n -> usesModSeq(n.key());
            case SearchKey.Or o -> usesModSeq(o.left()) || usesModSeq(o.right());
            case SearchKey.And a -> a.keys().stream().anyMatch(SearchCommands::usesModSeq);
            default -> false;
        };
    }
}

package org.osprey.imap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.osprey.imap.parse.ImapCommand;
import org.osprey.imap.parse.StatusItem;
import org.osprey.store.Folders;
import org.osprey.store.index.FolderIndex;
import org.osprey.store.index.FolderIndexes;
import org.osprey.store.index.FolderSnapshot;
import org.osprey.store.index.MaildirFlags;
import org.osprey.store.index.MessageEntry;
import org.osprey.store.search.FullTextIndex;

/** The commands of the authenticated state that work on folders: CREATE ... STATUS, APPEND, the QUOTA ones. */
final class MailboxCommands {
    private final ImapSession session;
    private final Mailboxes mailboxes;

    MailboxCommands(ImapSession session) {
        this.session = session;
        this.mailboxes = session.mailboxes;
    }

    String create(ImapCommand.Create c) throws ImapException, IOException {
        mailboxes.create(c.mailbox(), c.specialUse());
        return session.ok("CREATE completed");
    }

    String delete(ImapCommand.Delete c) throws ImapException, IOException {
        Path dir = mailboxes.existing(c.mailbox(), false);
        if (session.selected != null && session.selected.directory.equals(dir)) {
            session.unselect();
        }
        if (!session.protocol.indexes.closeIfUnused(dir)) {
            throw ImapException.no("INUSE", "Mailbox is selected by another session");
        }
        mailboxes.delete(c.mailbox());
        forgetFullText(List.of(dir));
        return session.ok("DELETE completed");
    }

    String rename(ImapCommand.Rename c) throws ImapException, IOException {
        if (c.from().equalsIgnoreCase(Folders.INBOX)) {
            return renameInbox(c.to());
        }
        List<Path> moved = mailboxes.directoriesUnder(c.from());
        for (Path dir : moved) {
            if (session.selected != null && session.selected.directory.equals(dir)) {
                throw ImapException.no("INUSE", "Mailbox is selected; close it first");
            }
            if (!session.protocol.indexes.closeIfUnused(dir)) {
                throw ImapException.no("INUSE", "Mailbox is selected by another session");
            }
        }
        mailboxes.rename(c.from(), c.to());
        forgetFullText(moved);
        return session.ok("RENAME completed");
    }

    /** RFC 9051 §6.3.6: renaming INBOX moves its messages to the new folder and leaves INBOX empty. */
    private String renameInbox(String to) throws ImapException, IOException {
        mailboxes.create(to, List.of());
        Path inbox = mailboxes.maildir();
        Path target = mailboxes.directory(to);
        FolderIndexes indexes = session.protocol.indexes;
        try (FolderIndexes.Lease source = indexes.acquire(inbox); FolderIndexes.Lease dest = indexes.acquire(target)) {
            source.index().sync();
            List<Long> uids = source.index().snapshot().messages().stream().map(MessageEntry::uid).toList();
            source.index().copyTo(dest.index(), uids);
            source.index().expunge(uids);
        }
        session.protocol.signals.changed(inbox);
        return session.ok("RENAME completed");
    }

    /** Drops the search documents of folders that are gone; a renamed folder is indexed again when searched. */
    private void forgetFullText(List<Path> folders) throws IOException {
        FullTextIndex index = session.fullText().index();
        for (Path dir : folders) {
            index.removeFolder(FullTextIndex.folderKey(mailboxes.maildir(), dir));
        }
    }

    String subscribe(String mailbox, boolean subscribe) throws ImapException, IOException {
        if (subscribe) {
            mailboxes.directory(mailbox); // a name Maildir++ can hold; it need not exist (RFC 9051 §6.3.7)
        }
        mailboxes.subscribe(mailbox.equalsIgnoreCase(Folders.INBOX) ? Folders.INBOX : mailbox, subscribe);
        return session.ok((subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE") + " completed");
    }

    String list(ImapCommand.ListMailboxes c) throws ImapException, IOException {
        if (!c.extended() && c.patterns().size() == 1 && c.patterns().getFirst().isEmpty()) {
            out().untagged("LIST (\\Noselect) \".\" \"\"");
            return session.ok("LIST completed");
        }
        boolean subscribedOnly = c.selection().contains(ImapCommand.ListSelect.SUBSCRIBED);
        boolean specialOnly = c.selection().contains(ImapCommand.ListSelect.SPECIAL_USE);
        boolean recursive = c.selection().contains(ImapCommand.ListSelect.RECURSIVEMATCH);
        boolean returnSubscribed = subscribedOnly || c.returns().contains(ImapCommand.ListReturn.SUBSCRIBED);
        boolean returnSpecial = !c.extended() || specialOnly
                || c.returns().contains(ImapCommand.ListReturn.SPECIAL_USE);
        List<Pattern> patterns = new ArrayList<>();
        for (String pattern : c.patterns()) {
            patterns.add(Mailboxes.pattern(c.reference(), pattern));
        }
        List<String> existing = mailboxes.all();
        Set<String> subscriptions = mailboxes.subscriptions();
        Set<String> candidates = new TreeSet<>(existing);
        candidates.addAll(Mailboxes.impliedParents(existing));
        if (subscribedOnly) {
            candidates.addAll(subscriptions);
        }
        List<String> ordered = new ArrayList<>();
        if (candidates.remove(Folders.INBOX)) {
            ordered.add(Folders.INBOX);
        }
        ordered.addAll(candidates);
        Set<String> existingSet = Set.copyOf(existing);
        for (String name : ordered) {
            if (!matchesAny(patterns, name)) {
                continue;
            }
            boolean exists = existingSet.contains(name);
            boolean subscribed = subscriptions.contains(name);
            String childInfo = null;
            if (subscribedOnly && !subscribed) {
                if (recursive && hasSubscribedChild(name, subscriptions)) {
                    childInfo = " (\"CHILDINFO\" (\"SUBSCRIBED\"))";
                } else {
                    continue;
                }
            }
            Set<String> specialUse = exists ? mailboxes.specialUse(name) : Set.of();
            if (specialOnly && specialUse.isEmpty()) {
                continue;
            }
            List<String> attributes = new ArrayList<>();
            if (!exists) {
                attributes.add(c.extended() || subscribedOnly ? "\\NonExistent" : "\\Noselect");
            }
            if (returnSubscribed && subscribed) {
                attributes.add("\\Subscribed");
            }
            if (exists || Mailboxes.hasChildren(name, existing)) {
                attributes.add(Mailboxes.hasChildren(name, existing) ? "\\HasChildren" : "\\HasNoChildren");
            }
            if (returnSpecial) {
                attributes.addAll(specialUse);
            }
            out().untagged("LIST (" + String.join(" ", attributes) + ") \".\" " + Names.encode(name, utf8())
                    + (childInfo == null ? "" : childInfo));
            if (exists && !c.status().isEmpty()) {
                out().untagged("STATUS " + Names.encode(name, utf8()) + " " + statusItems(name, c.status()));
            }
        }
        return session.ok("LIST completed");
    }

    private static boolean hasSubscribedChild(String name, Set<String> subscriptions) {
        return Mailboxes.hasChildren(name, subscriptions);
    }

    private static boolean matchesAny(List<Pattern> patterns, String name) {
        for (Pattern p : patterns) {
            if (Mailboxes.matches(p, name)) {
                return true;
            }
        }
        return false;
    }

    String lsub(ImapCommand.Lsub c) throws IOException {
        Pattern pattern = Mailboxes.pattern(c.reference(), c.pattern());
        List<String> existing = mailboxes.all();
        for (String name : mailboxes.subscriptions()) {
            if (Mailboxes.matches(pattern, name)) {
                String attributes = existing.contains(name) ? "" : "\\Noselect";
                out().untagged("LSUB (" + attributes + ") \".\" " + Names.encode(name, utf8()));
            }
        }
        return session.ok("LSUB completed");
    }

    String status(ImapCommand.Status c) throws ImapException, IOException {
        mailboxes.existing(c.mailbox(), false);
        String items = statusItems(c.mailbox(), c.items());
        out().untagged("STATUS " + Names.encode(c.mailbox(), utf8()) + " " + items);
        return session.ok("STATUS completed");
    }

    private String statusItems(String name, List<StatusItem> items) throws ImapException, IOException {
        Path dir = mailboxes.existing(name, false);
        try (FolderIndexes.Lease lease = session.protocol.indexes.acquire(dir)) {
            FolderIndex index = lease.index();
            index.sync();
            FolderSnapshot snapshot = index.snapshot();
            long unseen = 0;
            long deleted = 0;
            long size = 0;
            long recent = 0;
            for (MessageEntry entry : snapshot.messages()) {
                if (!entry.has(MaildirFlags.SEEN)) {
                    unseen++;
                }
                if (entry.has(MaildirFlags.DELETED)) {
                    deleted++;
                }
                if (entry.uid() >= snapshot.firstRecentUid()) {
                    recent++;
                }
                size += entry.virtualSize();
            }
            StringBuilder out = new StringBuilder("(");
            for (StatusItem item : items) {
                if (out.length() > 1) {
                    out.append(' ');
                }
                long value = switch (item) {
                    case MESSAGES -> snapshot.messages().size();
                    case RECENT -> recent;
                    case UIDNEXT -> snapshot.uidNext();
                    case UIDVALIDITY -> snapshot.uidValidity();
                    case UNSEEN -> unseen;
                    case DELETED -> deleted;
                    case SIZE -> size;
                    case HIGHESTMODSEQ -> snapshot.highestModSeq();
                    case APPENDLIMIT -> session.protocol.limits.appendLimit();
                };
                out.append(item.name()).append(' ').append(value);
            }
            return out.append(')').toString();
        }
    }

    String append(ImapCommand.Append c) throws ImapException, IOException {
        Path dir = mailboxes.existing(c.mailbox(), true);
        if (c.message().size() == 0) {
            throw ImapException.no("Can't save a zero byte message");
        }
        Quota quota = new Quota(session);
        quota.checkRoom(c.message().size(), 1);
        Set<String> flags = Flags.names(c.flags());
        try {
            MaildirFlags.validate(flags);
        } catch (IllegalArgumentException e) {
            throw ImapException.bad("Invalid flag: " + e.getMessage());
        }
        long internalDate = c.internalDate().map(d -> d.toInstant().toEpochMilli()).orElse(0L);
        long uid;
        long uidValidity;
        long stored;
        try (FolderIndexes.Lease lease = session.protocol.indexes.acquire(dir);
             InputStream message = c.message().open()) {
            FolderIndex index = lease.index();
            try {
                uid = index.append(message, new LinkedHashSet<>(flags), internalDate);
            } catch (IllegalArgumentException e) {
                throw ImapException.no("LIMIT", e.getMessage());
            }
            uidValidity = index.uidValidity();
            stored = index.message(uid).map(MessageEntry::size).orElse(c.message().size());
        }
        quota.add(stored, 1);
        session.protocol.signals.changed(dir);
        return session.ok("[APPENDUID " + uidValidity + " " + uid + "] APPEND completed");
    }

    String getQuotaRoot(ImapCommand.GetQuotaRoot c) throws ImapException, IOException {
        mailboxes.existing(c.mailbox(), false);
        String resources = new Quota(session).resources();
        String name = Names.encode(c.mailbox(), utf8());
        if (resources == null) {
            out().untagged("QUOTAROOT " + name);
        } else {
            out().untagged("QUOTAROOT " + name + " \"\"");
            out().untagged("QUOTA \"\" " + resources);
        }
        return session.ok("GETQUOTAROOT completed");
    }

    String getQuota(ImapCommand.GetQuota c) throws ImapException, IOException {
        String resources = new Quota(session).resources();
        if (!c.root().isEmpty() || resources == null) {
            throw ImapException.no("NONEXISTENT", "No such quota root");
        }
        out().untagged("QUOTA \"\" " + resources);
        return session.ok("GETQUOTA completed");
    }

    private Responses out() {
        return session.out;
    }

    private boolean utf8() {
        return session.utf8 || session.rev2;
    }
}

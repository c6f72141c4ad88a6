package org.osprey.pop3;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import org.osprey.store.index.FlagMode;
import org.osprey.store.index.FolderIndex;
import org.osprey.store.index.FolderIndexes;
import org.osprey.store.index.FolderSnapshot;
import org.osprey.store.index.MaildirFlags;
import org.osprey.store.index.MessageEntry;

/**
 * The messages of one POP3 session: INBOX as it was at login (RFC 1939 §8: numbers and sizes do not change during
 * the session), the ones marked deleted, and the UPDATE at QUIT that expunges them through the shared index, so
 * IMAP sessions see the expunges. Sizes are octets as sent: CRLF line endings (the W= size).
 */
final class Maildrop implements AutoCloseable {
    private final FolderIndexes.Lease lease;
    private final FolderIndex index;
    private final FolderSnapshot snapshot;
    private final List<MessageEntry> messages;
    private final BitSet deleted = new BitSet();
    private final List<Long> retrieved = new ArrayList<>();

    Maildrop(FolderIndexes.Lease lease) throws IOException {
        this.lease = lease;
        this.index = lease.index();
        index.sync();
        this.snapshot = index.snapshot();
        this.messages = snapshot.messages();
    }

    int count() {
        return messages.size() - deleted.cardinality();
    }

    long octets() {
        long total = 0;
        for (int i = 0; i < messages.size(); i++) {
            if (!deleted.get(i)) {
                total += messages.get(i).virtualSize();
            }
        }
        return total;
    }

    int size() {
        return messages.size();
    }

    boolean isDeleted(int number) {
        return deleted.get(number - 1);
    }

    /** The message with this number, or null when there is none or it is marked deleted. */
    MessageEntry message(int number) {
        if (number < 1 || number > messages.size() || deleted.get(number - 1)) {
            return null;
        }
        return messages.get(number - 1);
    }

    void delete(int number) {
        deleted.set(number - 1);
    }

    void reset() {
        deleted.clear();
    }

    String uidl(MessageEntry message) {
        return snapshot.pop3Uidl(message);
    }

    /** Streams a message (or its header and {@code bodyLines} lines), dot-stuffed and terminated. */
    void write(MessageEntry message, OutputStream out, long bodyLines) throws IOException {
        try (FileChannel file = index.openMessage(message.uid())) {
            DotStuffedWriter.write(Channels.newInputStream(file), out, bodyLines, message.size());
        }
    }

    /**
     * RETR marks the message \Seen so IMAP clients see it read; like Dovecot, the flags are written once, at
     * QUIT ({@link #update}), not with a rename and an fsync per message.
     */
    void markSeen(MessageEntry message) {
        if (!message.has(MaildirFlags.SEEN)) {
            retrieved.add(message.uid());
        }
    }

    /**
     * UPDATE state: sets \Seen on the retrieved messages that stay, expunges the messages marked deleted, and
     * returns the bytes (LF size) they took.
     */
    long update() throws IOException {
        List<Long> uids = new ArrayList<>();
        long bytes = 0;
        for (int i = deleted.nextSetBit(0); i >= 0; i = deleted.nextSetBit(i + 1)) {
            uids.add(messages.get(i).uid());
        }
        Set<Long> doomed = new java.util.HashSet<>(uids);
        List<Long> seen = retrieved.stream().filter(uid -> !doomed.contains(uid)).toList();
        if (!seen.isEmpty()) {
            index.storeFlags(seen, FlagMode.ADD, Set.of("\\Seen"), -1);
        }
        if (uids.isEmpty()) {
            return 0;
        }
        Set<Long> gone = new java.util.HashSet<>(index.expunge(uids));
        for (MessageEntry m : messages) {
            if (gone.contains(m.uid())) {
                bytes += m.size();
            }
        }
        return bytes;
    }

    int deletedCount() {
        return deleted.cardinality();
    }

    @Override
    public void close() {
        lease.close();
    }
}

package org.osprey.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.io.DirectorySync;
import org.osprey.store.index.LfMessageWriter;

/**
 * The store's write path: puts a message into a mailbox folder the Maildir way (write into tmp/, fsync, rename into
 * new/, fsync new/), so that on return the message is on disk and any reader (Dovecot, mutt, Osprey's IMAP) sees
 * either all of it or nothing. Line endings become LF on disk, as Dovecot and mutt expect; quota usage is updated and
 * a {@link MessageDelivered} event published.
 */
public final class MailStore {
    private final MailboxLayout layout;
    private final String host;
    private final StoreEvents events;
    private final DirectorySync directorySync;
    private final Lock[] quotaLocks = new Lock[64];

    public MailStore(MailboxLayout layout, String host, StoreEvents events, DirectorySync directorySync) {
        this.layout = layout;
        this.host = host;
        this.events = events;
        this.directorySync = directorySync;
        for (int i = 0; i < quotaLocks.length; i++) {
            quotaLocks[i] = new ReentrantLock();
        }
    }

    public MailboxLayout layout() {
        return layout;
    }

    public StoreEvents events() {
        return events;
    }

    /**
     * Delivers one message. {@code headers} are prepended (e.g. Return-Path, Delivered-To; each without line
     * ending), {@code message} is the message as it travelled (CRLF line endings). Returns the file name in new/.
     */
    public String deliver(EmailAddress mailbox, String folder, List<String> headers, InputStream message,
                          long quotaLimit) throws IOException {
        Path maildir = layout.maildir(mailbox);
        Folders.ensureMailbox(maildir);
        Path folderDir = Folders.path(maildir, folder);
        if (!folder.equalsIgnoreCase(Folders.INBOX) && !Files.isDirectory(folderDir.resolve("new"))) {
            Folders.createMaildir(folderDir);
            Files.createFile(folderDir.resolve("maildirfolder"));
        }
        String base = MaildirNames.unique(host);
        Path tmp = folderDir.resolve("tmp").resolve(base);
        LfMessageWriter.Written written = LfMessageWriter.write(tmp, headers, message);
        long size = written.size();
        String name = MaildirNames.withSizes(base, size, written.virtualSize());
        Path target = folderDir.resolve("new").resolve(name);
        // Rename and quota update under one lock: a recount running meanwhile must not count this file twice.
        Lock lock = quotaLocks[Math.floorMod(maildir.hashCode(), quotaLocks.length)];
        lock.lock();
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            MaildirQuota.add(maildir, size, 1, quotaLimit);
        } finally {
            lock.unlock();
        }
        directorySync.sync(target.getParent());
        events.publish(new MessageDelivered(mailbox, folder.equalsIgnoreCase(Folders.INBOX) ? Folders.INBOX : folder,
                name));
        return name;
    }

    /** Bytes and messages in the whole mailbox (all folders). */
    public MaildirQuota.Usage usage(EmailAddress mailbox) throws IOException {
        return MaildirQuota.usage(layout.maildir(mailbox));
    }
}

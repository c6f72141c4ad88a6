package org.osprey.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import org.osprey.store.index.Keywords;
import org.osprey.store.index.MaildirFlags;
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
        return deliver(mailbox, folder, headers, message, quotaLimit, List.of(), true);
    }

    /**
     * As {@link #deliver(EmailAddress, String, List, InputStream, long)}, for Sieve: with IMAP flags (system
     * flags and keywords; such a message goes to cur/ with its flags in the name, as Dovecot's LDA does), and
     * refusing a folder that does not exist unless {@code createFolder} (RFC 5490 :create).
     *
     * @throws NoSuchFolderException the folder is missing and may not be created
     * @throws IllegalArgumentException a flag is not a valid IMAP flag, or the folder name is not valid
     */
    public String deliver(EmailAddress mailbox, String folder, List<String> headers, InputStream message,
                          long quotaLimit, Collection<String> flags, boolean createFolder) throws IOException {
        Path maildir = layout.maildir(mailbox);
        Folders.ensureMailbox(maildir);
        Path folderDir = Folders.path(maildir, folder);
        if (!folder.equalsIgnoreCase(Folders.INBOX) && !Files.isDirectory(folderDir.resolve("new"))) {
            if (!createFolder) {
                throw new NoSuchFolderException(folder);
            }
            Folders.createMaildir(folderDir);
            try {
                Files.createFile(folderDir.resolve("maildirfolder"));
            } catch (java.nio.file.FileAlreadyExistsException ignored) {
                // made by a concurrent delivery
            }
        }
        String info = flags.isEmpty() ? null : MaildirFlags.info(null, flagBits(folderDir, flags));
        String base = MaildirNames.unique(host);
        Path tmp = folderDir.resolve("tmp").resolve(base);
        LfMessageWriter.Written written = LfMessageWriter.write(tmp, headers, message);
        long size = written.size();
        String name = MaildirNames.withSizes(base, size, written.virtualSize());
        if (info != null) {
            name = name + ":" + info;
        }
        Path target = folderDir.resolve(info == null ? "new" : "cur").resolve(name);
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

    /** Maildir flag bits for IMAP flag names; keywords new to the folder get a letter in dovecot-keywords. */
    private int flagBits(Path folderDir, Collection<String> flags) throws IOException {
        MaildirFlags.validate(flags);
        Keywords keywords = Keywords.read(folderDir);
        var missing = MaildirFlags.keywordsToDefine(flags, keywords);
        if (!missing.isEmpty()) {
            synchronized (this) {
                keywords = Keywords.read(folderDir);
                for (String keyword : missing) {
                    keywords = keywords.with(keyword, 0);
                }
                keywords.write(folderDir, directorySync);
            }
        }
        return MaildirFlags.bits(flags, keywords, false);
    }

    /** Bytes and messages in the whole mailbox (all folders). */
    public MaildirQuota.Usage usage(EmailAddress mailbox) throws IOException {
        return MaildirQuota.usage(layout.maildir(mailbox));
    }
}

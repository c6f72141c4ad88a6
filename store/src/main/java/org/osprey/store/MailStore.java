package org.osprey.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.io.DirectorySync;

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
        long size;
        long lines;
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            var counter = new LfWriter(new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024));
            for (String header : headers) {
                counter.writeLine(header);
            }
            counter.copy(message);
            counter.flush();
            size = counter.bytes;
            lines = counter.lines;
            DirectorySync.syncFile(channel);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        String name = MaildirNames.withSizes(base, size, size + lines);
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

    /**
     * Writes lines with LF endings: a CRLF in the input becomes LF, counting bytes written and lines, so the CRLF
     * size (W=) is bytes + lines without reading the file again.
     */
    private static final class LfWriter {
        private final OutputStream out;
        private long bytes;
        private long lines;

        LfWriter(OutputStream out) {
            this.out = out;
        }

        void writeLine(String line) throws IOException {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            out.write(b);
            out.write('\n');
            bytes += b.length + 1;
            lines++;
        }

        void copy(InputStream in) throws IOException {
            byte[] buffer = new byte[64 * 1024];
            boolean pendingCr = false;
            int n;
            while ((n = in.read(buffer)) > 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (pendingCr) {
                        pendingCr = false;
                        if (b != '\n') {
                            // a CR not followed by LF is content: keep it
                            write(new byte[] {'\r'}, 0, 1);
                        }
                    }
                    if (b == '\r') {
                        write(buffer, start, i - start);
                        start = i + 1;
                        pendingCr = true;
                    } else if (b == '\n') {
                        lines++;
                    }
                }
                write(buffer, start, n - start);
            }
            if (pendingCr) {
                write(new byte[] {'\r'}, 0, 1);
            }
        }

        private void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                out.write(b, off, len);
                bytes += len;
            }
        }

        void flush() throws IOException {
            out.flush();
        }
    }
}

package org.osprey.imap;

import java.io.IOException;
import org.osprey.directory.Mailbox;
import org.osprey.store.MaildirQuota;

/**
 * QUOTA (RFC 9208) for the logged-in user: the limit from the directory (0 = none), the usage from the Maildir's
 * maildirsize, as Dovecot's maildir quota keeps it. One root, "", for all folders.
 */
final class Quota {
    private final ImapSession session;

    Quota(ImapSession session) {
        this.session = session;
    }

    long limitBytes() {
        return session.protocol.directory.mailbox(session.account).map(Mailbox::quotaBytes).orElse(0L);
    }

    MaildirQuota.Usage usage() throws IOException {
        return MaildirQuota.usage(session.mailboxes.maildir());
    }

    /** NO [OVERQUOTA] when adding {@code bytes} in {@code messages} would go over the limit. */
    void checkRoom(long bytes, int messages) throws ImapException, IOException {
        long limit = limitBytes();
        if (limit > 0 && usage().bytes() + bytes > limit) {
            throw ImapException.no("OVERQUOTA", "Quota exceeded (mailbox for user is full)");
        }
    }

    /** Accounts for messages added (positive) or removed (negative). */
    void add(long bytes, int messages) throws IOException {
        if (bytes != 0 || messages != 0) {
            MaildirQuota.add(session.mailboxes.maildir(), bytes, messages, limitBytes());
        }
    }

    /** The QUOTA response's resource list, e.g. "(STORAGE 120 10240)"; empty when there is no limit. */
    String resources() throws IOException {
        long limit = limitBytes();
        if (limit <= 0) {
            return null;
        }
        return "(STORAGE " + ceilKib(usage().bytes()) + " " + (limit / 1024) + ")";
    }

    private static long ceilKib(long bytes) {
        return (bytes + 1023) / 1024;
    }
}

package org.osprey.store.index;

import java.util.List;

/**
 * A folder's state at one moment, for SELECT/EXAMINE, STATUS and POP3's maildrop: immutable, so a session can keep
 * it as its view while others change the folder.
 *
 * @param messages       every message, UID order
 * @param firstRecentUid messages from this UID on are \Recent for the next session that takes them
 * @param keywords       the folder's keywords (IMAP FLAGS / PERMANENTFLAGS)
 */
public record FolderSnapshot(long uidValidity, long uidNext, long highestModSeq, long firstRecentUid,
                             List<MessageEntry> messages, Keywords keywords) {

    /**
     * The POP3 UIDL of a message in Dovecot's default form ({@code pop3_uidl_format = %08Xu%08Xv}: UID and
     * UIDVALIDITY as 8 upper-case hex digits each), so POP3 clients that move from Dovecot keep their state.
     */
    public String pop3Uidl(MessageEntry message) {
        return String.format("%08X%08X", message.uid(), uidValidity);
    }
}

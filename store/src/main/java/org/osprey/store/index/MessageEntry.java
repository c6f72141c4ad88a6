package org.osprey.store.index;

import java.util.Set;

/**
 * One message as the index knows it, immutable: a change of flags makes a new entry with a new MODSEQ; the UID
 * never changes.
 *
 * @param uid          the IMAP UID, unique in the folder for its UIDVALIDITY
 * @param modSeq       the MODSEQ of the last change to this message's flags (RFC 7162)
 * @param baseName     the file name up to the info separator ':' — the part no program changes
 * @param info         the part after ':' ("2,FS"), or null when the name has none
 * @param inNew        whether the file is in new/ (else cur/)
 * @param flagBits     the flags, see {@link MaildirFlags}
 * @param size         the file's size (S= in the name; LF line endings)
 * @param virtualSize  the size with CRLF line endings (W=), which IMAP reports as RFC822.SIZE
 * @param internalDate the IMAP INTERNALDATE: the file's modification time in epoch millis, as Dovecot uses it
 * @param keywords     the folder's keyword table that names this entry's keyword letters
 */
public record MessageEntry(long uid, long modSeq, String baseName, String info, boolean inNew, int flagBits,
                           long size, long virtualSize, long internalDate, Keywords keywords) {

    /** The file's current name in new/ or cur/. */
    public String fileName() {
        return info == null ? baseName : baseName + ":" + info;
    }

    /** The path below the folder directory: "cur/&lt;name&gt;" or "new/&lt;name&gt;". */
    public String relativePath() {
        return (inNew ? "new/" : "cur/") + fileName();
    }

    /** The IMAP flags (system flags and keywords), without \Recent, which is per session. */
    public Set<String> flags() {
        return MaildirFlags.names(flagBits, keywords);
    }

    public boolean has(int flagBit) {
        return (flagBits & flagBit) != 0;
    }

    MessageEntry withState(long newModSeq, String newInfo, boolean newInNew, int newFlagBits, Keywords table) {
        return new MessageEntry(uid, newModSeq, baseName, newInfo, newInNew, newFlagBits, size, virtualSize,
                internalDate, table);
    }
}

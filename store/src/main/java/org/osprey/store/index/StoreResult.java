package org.osprey.store.index;

import java.util.List;

/**
 * The outcome of {@link FolderIndex#storeFlags}.
 *
 * @param modSeq   the MODSEQ given to the messages this call changed (0 when it changed none); an entry in
 *                 {@code stored} with this MODSEQ was changed by this call
 * @param stored   the current state of every requested message that exists and was not refused, UID order
 *                 (IMAP answers with their FLAGS, and MODSEQ under CONDSTORE)
 * @param modified UIDs refused because their MODSEQ was above UNCHANGEDSINCE (RFC 7162 §3.1.3: the MODIFIED code)
 * @param missing  UIDs not in the folder (expunged, possibly just now by another program)
 */
public record StoreResult(long modSeq, List<MessageEntry> stored, List<Long> modified, List<Long> missing) {
}

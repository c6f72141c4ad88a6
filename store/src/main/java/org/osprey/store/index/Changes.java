package org.osprey.store.index;

import java.util.List;

/**
 * What changed after a MODSEQ, for a session to bring its view up to date (EXISTS, EXPUNGE, FETCH FLAGS) or for
 * CONDSTORE's CHANGEDSINCE.
 *
 * @param highestModSeq     the folder's HIGHESTMODSEQ this answer is complete up to; ask from here next time
 * @param uidNext           the folder's UIDNEXT
 * @param changed           messages added or with flags changed after the MODSEQ, UID order; those with a UID at
 *                          or above the session's old UIDNEXT are new to it
 * @param expunged          UIDs expunged after the MODSEQ, ascending
 * @param expungedComplete  false when the index no longer knows expunges that old (it forgets them when it
 *                          compacts its log): the session must then compare its UIDs with a snapshot
 */
public record Changes(long highestModSeq, long uidNext, List<MessageEntry> changed, List<Long> expunged,
                      boolean expungedComplete) {
}

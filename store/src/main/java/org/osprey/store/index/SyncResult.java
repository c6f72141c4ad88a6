package org.osprey.store.index;

import java.util.List;

/**
 * What one {@link FolderIndex#sync} call found changed in the Maildir since the index last looked, UIDs ascending.
 * Several sessions share an index, so a session learns what is new <em>to it</em> from
 * {@link FolderIndex#changesSince} instead; this result is for the caller that synced (and for tests).
 *
 * @param added        messages that appeared (delivered, or dropped in by another program)
 * @param expunged     messages whose files are gone
 * @param flagsChanged messages whose flags another program changed (renamed the file); they have a new MODSEQ
 * @param recent       with takeRecent: the messages that are \Recent for this caller and no longer for others
 */
public record SyncResult(List<Long> added, List<Long> expunged, List<Long> flagsChanged, List<Long> recent) {
    public boolean isEmpty() {
        return added.isEmpty() && expunged.isEmpty() && flagsChanged.isEmpty() && recent.isEmpty();
    }
}

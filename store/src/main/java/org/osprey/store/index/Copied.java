package org.osprey.store.index;

/** One message copied by {@link FolderIndex#copyTo}: its UID in the source and the new UID in the target (COPYUID). */
public record Copied(long sourceUid, long targetUid) {
}

package org.osprey.imap.search;

import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.osprey.store.index.FolderIndex;
import org.osprey.store.index.MessageEntry;
import org.osprey.store.search.FullTextIndex;

/**
 * What SEARCH, SORT and THREAD need from the session that has a folder selected. The session implements it (a
 * record of its current view is enough); nothing here is changed by a search.
 */
public interface SearchContext {

    /**
     * The selected folder's messages as this session sees them, in sequence order: message sequence number
     * {@code n} is element {@code n - 1}. Sequence order is UID order (RFC 9051 §2.3.1.2), which searches rely on.
     * A random-access list (a {@link org.osprey.store.index.FolderSnapshot}'s, or a copy of it).
     */
    List<MessageEntry> messages();

    /** Whether the message with this UID is \Recent in this session (RFC 3501 §2.3.2). */
    boolean isRecent(long uid);

    /**
     * The UIDs of the search result saved by {@code SEARCH RETURN (SAVE)} (RFC 5182), which {@code $} stands for;
     * empty when none was saved or it was reset. UIDs no longer in {@link #messages} are ignored.
     */
    Set<Long> savedResult();

    /** The selected folder's index: messages are read through it (only their header, except without full text). */
    FolderIndex folderIndex();

    /**
     * The user's full-text index, for BODY and TEXT; null when full-text search is off, and then the messages are
     * read and searched for the substring (exact, but slow on big folders).
     */
    FullTextIndex fullTextIndex();

    /** The selected folder's key in the full-text index ({@link FullTextIndex#folderKey}). */
    String folderKey();

    /** The server's time zone: BEFORE, ON and SINCE compare the internal date's day in it (RFC 9051 §6.4.4). */
    ZoneId zone();
}

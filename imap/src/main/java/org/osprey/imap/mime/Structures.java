package org.osprey.imap.mime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.Optional;
import org.osprey.store.index.FolderIndex;
import org.osprey.store.index.MessageCache;
import org.osprey.store.index.MessageEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ENVELOPE, BODYSTRUCTURE and BODY of a folder's messages, each message parsed once: from the folder's {@link
 * MessageCache} when it has them, else by reading the message file in one streaming pass (any size, little memory;
 * see {@link ImapMessage#structure(InputStream)}) and caching the result. A cache that fails is logged and
 * bypassed, never an error for FETCH. Thread-safe; two sessions missing the same UID at once both parse it.
 */
public final class Structures {
    private static final Logger log = LoggerFactory.getLogger(Structures.class);

    private Structures() {
    }

    /**
     * The structure of {@code entry}, a message of {@code index}'s folder.
     *
     * @throws java.nio.file.NoSuchFileException when the message is gone (expunged by another program)
     */
    public static CachedStructure of(FolderIndex index, MessageEntry entry) throws IOException {
        long uid = entry.uid();
        MessageCache cache = cache(index);
        if (cache != null) {
            try {
                Optional<CachedStructure> cached = cache.get(uid).flatMap(CachedStructure::decode);
                if (cached.isPresent()) {
                    return cached.get();
                }
            } catch (IOException e) {
                log.warn("{}: reading the message cache failed, parsing UID {}: {}", index.directory(), uid,
                        e.toString());
            }
        }
        CachedStructure structure;
        try (FileChannel channel = index.openMessage(uid);
             InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024)) {
            structure = ImapMessage.structure(in);
        }
        if (cache != null) {
            try {
                cache.put(uid, structure.encode());
            } catch (IOException e) {
                log.warn("{}: writing the message cache failed for UID {}: {}", index.directory(), uid,
                        e.toString());
            }
        }
        return structure;
    }

    private static MessageCache cache(FolderIndex index) {
        try {
            return index.cache();
        } catch (IOException e) {
            log.warn("{}: cannot open the message cache: {}", index.directory(), e.toString());
            return null;
        }
    }
}

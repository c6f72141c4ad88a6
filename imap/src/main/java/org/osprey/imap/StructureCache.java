package org.osprey.imap;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import org.osprey.imap.mime.CachedStructure;
import org.osprey.imap.mime.ImapMessage;
import org.osprey.store.index.FolderIndex;
import org.osprey.store.index.MessageEntry;

/** ENVELOPE and BODYSTRUCTURE of a message, parsed from its file. */
final class StructureCache {
    private StructureCache() {
    }

    static CachedStructure of(FolderIndex index, MessageEntry entry) throws IOException {
        try (FileChannel file = index.openMessage(entry.uid())) {
            return ImapMessage.structure(Channels.newInputStream(file));
        }
    }
}

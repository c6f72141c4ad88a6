package org.osprey.store;

import java.nio.file.Path;
import java.util.List;

/**
 * Published after messages were copied (IMAP COPY, or the copy half of MOVE) from one folder into another, by
 * whoever did it: folder directories as the index knows them (the Maildir for INBOX, its ".Name" directories
 * otherwise) and the new messages' UIDs in the target. The spam filter learns from moves into and out of Junk.
 */
public record MessagesCopied(Path sourceFolder, Path targetFolder, List<Long> targetUids) {
    public MessagesCopied {
        targetUids = List.copyOf(targetUids);
    }
}

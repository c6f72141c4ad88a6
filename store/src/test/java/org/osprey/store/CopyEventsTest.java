package org.osprey.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.io.DirectorySync;
import org.osprey.store.index.FolderIndexes;

/** Copies between folders are published with the folders and new UIDs; a folder directory names its owner. */
class CopyEventsTest {
    @TempDir
    Path root;

    @Test
    void aCopyIntoJunkIsPublishedWithTheTargetUids() throws Exception {
        MailboxLayout layout = new MailboxLayout(root);
        Path maildir = layout.maildir(EmailAddress.parse("john@example.org"));
        Folders.ensureMailbox(maildir);
        StoreEvents events = new StoreEvents();
        List<MessagesCopied> seen = new CopyOnWriteArrayList<>();
        events.subscribeCopies(seen::add);
        try (var indexes = new FolderIndexes(new DirectorySync(), "mx.example.org", 4, events);
             var inbox = indexes.acquire(maildir);
             var junk = indexes.acquire(Folders.path(maildir, "Junk"))) {
            long uid = inbox.index().append(new ByteArrayInputStream(
                    "Subject: cheap\r\n\r\nbuy now\r\n".getBytes(StandardCharsets.US_ASCII)), Set.of(), 0);
            var copied = inbox.index().copyTo(junk.index(), List.of(uid, 999L));
            assertThat(seen).singleElement().satisfies(event -> {
                assertThat(event.sourceFolder()).isEqualTo(maildir.toAbsolutePath().normalize());
                assertThat(event.targetFolder()).isEqualTo(Folders.path(maildir, "Junk").toAbsolutePath().normalize());
                assertThat(event.targetUids()).containsExactly(copied.getFirst().targetUid());
            });
            inbox.index().copyTo(junk.index(), List.of(999L));
            assertThat(seen).as("nothing copied, nothing published").hasSize(1);
        }
    }

    @Test
    void aFolderDirectoryNamesItsOwnerAndFolder() throws Exception {
        MailboxLayout layout = new MailboxLayout(root);
        Path maildir = layout.maildir(EmailAddress.parse("john@example.org"));
        assertThat(layout.owner(maildir)).contains(new MailboxLayout.FolderOwner("example.org", "john", "INBOX"));
        assertThat(layout.owner(maildir.resolve(".Junk")))
                .contains(new MailboxLayout.FolderOwner("example.org", "john", "Junk"));
        assertThat(layout.owner(maildir.resolve(".Archive.2024")).map(MailboxLayout.FolderOwner::folder))
                .contains("Archive.2024");
        assertThat(layout.owner(maildir.resolve("cur"))).isEmpty();
        assertThat(layout.owner(root.resolve("example.org"))).isEmpty();
        assertThat(layout.owner(Path.of("/elsewhere/example.org/john/Maildir"))).isEmpty();
    }
}

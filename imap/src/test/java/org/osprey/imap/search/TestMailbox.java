package org.osprey.imap.search;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.osprey.core.io.DirectorySync;
import org.osprey.imap.parse.CommandParser;
import org.osprey.imap.parse.ImapCommand;
import org.osprey.imap.parse.SearchKey;
import org.osprey.store.Folders;
import org.osprey.store.index.FolderIndex;
import org.osprey.store.index.MessageEntry;
import org.osprey.store.search.FullTextIndex;

/**
 * Test fixture: a user's home with a Maildir INBOX, its real {@link FolderIndex} and full-text index, messages
 * appended the way IMAP APPEND stores them, and a {@link SearchContext} over the folder as a session would see it.
 */
final class TestMailbox implements AutoCloseable {
    final Path home;
    final Path maildir;
    final FolderIndex inbox;
    FullTextIndex fullText;
    final Set<Long> recent = new HashSet<>();
    final Set<Long> saved = new HashSet<>();
    ZoneId zone = ZoneOffset.UTC;
    /** When set, the session's view: messages expunged meanwhile stay in it, as until the session is told. */
    List<MessageEntry> view;

    TestMailbox(Path home) throws IOException {
        this.home = home;
        this.maildir = home.resolve("Maildir");
        Folders.createMaildir(maildir);
        this.inbox = FolderIndex.open(maildir, new DirectorySync(), "osprey.test");
        this.fullText = FullTextIndex.open(home);
    }

    /** Appends a message (LF line ends in the text; sent as CRLF) with an internal date and flags; its UID. */
    long add(String message, long internalDate, String... flags) throws IOException {
        byte[] crlf = message.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        return inbox.append(new ByteArrayInputStream(crlf), Set.of(flags), internalDate);
    }

    /** Appends raw bytes (for charsets other than UTF-8). */
    long addBytes(byte[] crlfMessage, long internalDate) throws IOException {
        return inbox.append(new ByteArrayInputStream(crlfMessage), Set.of(), internalDate);
    }

    record Context(List<MessageEntry> messages, Set<Long> recent, Set<Long> savedResult, FolderIndex folderIndex,
                   FullTextIndex fullTextIndex, String folderKey, ZoneId zone) implements SearchContext {
        @Override
        public boolean isRecent(long uid) {
            return recent.contains(uid);
        }
    }

    SearchContext context() throws IOException {
        List<MessageEntry> messages = view != null ? view : inbox.snapshot().messages();
        return new Context(messages, Set.copyOf(recent), Set.copyOf(saved), inbox, fullText,
                FullTextIndex.folderKey(maildir, inbox.directory()), zone);
    }

    /** The key of "SEARCH CHARSET UTF-8 {@code criteria}", parsed as a client would send it. */
    static SearchKey key(String criteria) {
        byte[] line = ("a SEARCH CHARSET UTF-8 " + criteria + "\r\n").getBytes(StandardCharsets.UTF_8);
        return ((ImapCommand.Search) CommandParser.parse(line, false)).key();
    }

    /** Sequence numbers matching {@code criteria}. */
    List<Integer> search(String criteria) throws IOException {
        return numbers(MessageSearch.search(key(criteria), context()));
    }

    static List<Integer> numbers(int[] positions) {
        List<Integer> out = new ArrayList<>();
        Arrays.stream(positions).forEach(p -> out.add(p + 1));
        return out;
    }

    @Override
    public void close() throws IOException {
        try {
            if (fullText != null) {
                fullText.close();
            }
        } finally {
            inbox.close();
        }
    }
}

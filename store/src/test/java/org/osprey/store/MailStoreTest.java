package org.osprey.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.io.DirectorySync;

class MailStoreTest {
    @TempDir
    Path root;

    final List<MessageDelivered> events = new ArrayList<>();

    MailStore store() {
        var storeEvents = new StoreEvents();
        storeEvents.subscribe(events::add);
        return new MailStore(new MailboxLayout(root), "mx.example.org", storeEvents, new DirectorySync());
    }

    static ByteArrayInputStream crlf(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void firstDeliveryMakesTheDovecotLayoutWithDefaultFolders() throws Exception {
        EmailAddress john = EmailAddress.parse("John@Example.org");
        store().deliver(john, "INBOX", List.of(), crlf("Subject: hi\r\n\r\nbody\r\n"), 0);
        Path maildir = root.resolve("example.org/john/Maildir");
        for (String dir : List.of("cur", "new", "tmp", ".Drafts/cur", ".Sent/new", ".Junk/tmp", ".Trash/cur")) {
            assertThat(maildir.resolve(dir)).isDirectory();
        }
        assertThat(maildir.resolve(".Junk/maildirfolder")).exists();
        assertThat(Files.readAllLines(maildir.resolve("subscriptions"))).containsExactly("Drafts", "Sent", "Junk",
                "Trash");
        assertThat(maildir.resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void messagesAreStoredWithLfLineEndingsAndDovecotSizesInTheName() throws Exception {
        EmailAddress john = EmailAddress.parse("john@example.org");
        String message = "Subject: hi\r\n\r\nline one\r\nbare\rcr stays\r\n";
        String name = store().deliver(john, "INBOX", List.of("Return-Path: <a@b.example>",
                "Delivered-To: john@example.org"), crlf(message), 0);
        Path file = root.resolve("example.org/john/Maildir/new").resolve(name);
        String expected = "Return-Path: <a@b.example>\nDelivered-To: john@example.org\nSubject: hi\n\nline one\n"
                + "bare\rcr stays\n";
        assertThat(Files.readString(file)).isEqualTo(expected);
        long size = expected.getBytes(StandardCharsets.UTF_8).length;
        assertThat(MaildirNames.size(name)).isEqualTo(size);
        assertThat(MaildirNames.virtualSize(name)).isEqualTo(size + 6); // six LFs become CRLF for IMAP
        assertThat(name).matches("\\d+\\.M\\d+P\\d+Q\\d+\\.mx\\.example\\.org,S=\\d+,W=\\d+");
        assertThat(events).containsExactly(new MessageDelivered(john, "INBOX", name));
    }

    @Test
    void deliveryIntoAFolderCreatesItTheMaildirPlusPlusWay() throws Exception {
        EmailAddress john = EmailAddress.parse("john@example.org");
        store().deliver(john, "Lists.Osprey", List.of(), crlf("Subject: x\r\n\r\ny\r\n"), 0);
        Path folder = root.resolve("example.org/john/Maildir/.Lists.Osprey");
        assertThat(folder.resolve("new")).isNotEmptyDirectory();
        assertThat(folder.resolve("maildirfolder")).exists();
    }

    @Test
    void sieveDeliveriesCarryFlagsAndKeywordsAndDoNotCreateFoldersUnasked() throws Exception {
        EmailAddress john = EmailAddress.parse("john@example.org");
        MailStore store = store();
        String name = store.deliver(john, "INBOX", List.of(), crlf("Subject: x\r\n\r\ny\r\n"), 0,
                List.of("\\Seen", "\\Flagged", "$Label1"), false);
        Path maildir = root.resolve("example.org/john/Maildir");
        assertThat(name).endsWith(":2,FSa");
        assertThat(maildir.resolve("cur").resolve(name)).exists();
        assertThat(Files.readString(maildir.resolve("dovecot-keywords"))).isEqualTo("0 $Label1\n");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.deliver(john, "Nowhere", List.of(),
                crlf("Subject: x\r\n\r\ny\r\n"), 0, List.of(), false)).isInstanceOf(NoSuchFolderException.class);
        assertThat(maildir.resolve(".Nowhere")).doesNotExist();
        store.deliver(john, "Nowhere", List.of(), crlf("Subject: x\r\n\r\ny\r\n"), 0, List.of(), true);
        assertThat(maildir.resolve(".Nowhere/new")).isNotEmptyDirectory();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.deliver(john, "INBOX", List.of(),
                crlf("x\r\n"), 0, List.of("bad keyword"), false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void quotaUsageFollowsDeliveriesAndSurvivesLosingTheFile() throws Exception {
        MailStore store = store();
        EmailAddress john = EmailAddress.parse("john@example.org");
        store.deliver(john, "INBOX", List.of(), crlf("a\r\n"), 1000);
        store.deliver(john, "Junk", List.of(), crlf("bb\r\n"), 1000);
        store.deliver(john, "INBOX", List.of(), crlf("ccc\r\n"), 1000);
        assertThat(store.usage(john)).isEqualTo(new MaildirQuota.Usage(2 + 3 + 4, 3));
        Path maildirsize = root.resolve("example.org/john/Maildir/maildirsize");
        assertThat(Files.readAllLines(maildirsize).getFirst()).isEqualTo("1000S");
        Files.delete(maildirsize);
        assertThat(store.usage(john)).isEqualTo(new MaildirQuota.Usage(9, 3));
        Files.writeString(maildirsize, "garbage\nnot numbers\n");
        assertThat(store.usage(john)).isEqualTo(new MaildirQuota.Usage(9, 3));
        assertThat(store.usage(EmailAddress.parse("nobody@example.org"))).isEqualTo(new MaildirQuota.Usage(0, 0));
    }

    @Test
    void concurrentDeliveriesToOneMailboxAllArriveWithUniqueNames() throws Exception {
        MailStore store = store();
        EmailAddress john = EmailAddress.parse("john@example.org");
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> names = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                names.add(pool.submit(() -> store.deliver(john, "INBOX", List.of(),
                        crlf("Subject: " + n + "\r\n\r\nbody\r\n"), 0)));
            }
            for (Future<String> f : names) {
                f.get();
            }
        }
        try (var files = Files.list(root.resolve("example.org/john/Maildir/new"))) {
            assertThat(files.count()).isEqualTo(200);
        }
        assertThat(store.usage(john).messages()).isEqualTo(200);
    }

    @Test
    void folderNamesCannotEscapeTheMaildir() {
        Path maildir = root.resolve("m");
        for (String bad : List.of("../x", "a/b", ".hidden", "", "a..b")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Folders.path(maildir, bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Folders.path(maildir, "inbox")).isEqualTo(maildir);
        assertThat(Folders.path(maildir, "Sent")).isEqualTo(maildir.resolve(".Sent"));
    }

    @Test
    void addressesCannotEscapeTheStoreRoot() throws Exception {
        var layout = new MailboxLayout(root);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> layout.home(EmailAddress.parse("\"..\"@example.org")))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> layout.home(EmailAddress.parse("\"a/b\"@example.org")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

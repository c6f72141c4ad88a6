package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.SubjectTerm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's isync (mbsync 1.4) keeps a local Maildir and the Osprey account in step over IMAPS, trusting exactly the
 * server's self-signed certificate (CertificateFile): with Sync All, Create Both and Expunge Both, messages,
 * folders, flags and deletions go both ways. And the big case: a 10,000-message INBOX, written straight into the
 * server's Maildir as a migration from Dovecot would leave it, comes down into an empty local Maildir, then 100
 * local changes go back up; the test prints how long both syncs took. The server side is checked with Angus Mail.
 */
class MbsyncTest {
    private static final String PASSWORD = "isync-secret";
    private static final int BIG = 10_000;

    @TempDir
    static Path dir;
    static ImapTestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new ImapTestServer(dir)
                .addUser("sync@example.org", PASSWORD, "0")
                .addUser("big@example.org", PASSWORD, "0")
                .start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.closeAndCheckLog();
        }
    }

    @Test
    void messagesFlagsAndDeletionsGoBothWays() throws Exception {
        String user = "sync@example.org";
        for (int n = 1; n <= 3; n++) {
            server.deliver(user, "server " + n, "Message " + n + " from the server.\n");
            server.awaitInbox(user, n);
        }
        Path local = dir.resolve("sync-local");
        writeLocal(local.resolve("INBOX"), "local inbox 1", null);
        writeLocal(local.resolve("Local"), "local folder 1", "S");
        writeLocal(local.resolve("Local"), "local folder 2", "");
        Path rc = rc(local, user);

        sync(rc);
        assertThat(localMessages(local.resolve("INBOX")).keySet())
                .containsExactlyInAnyOrder("server 1", "server 2", "server 3", "local inbox 1");
        for (String folder : List.of("Drafts", "Sent", "Junk", "Trash")) {
            assertThat(local.resolve(folder).resolve("cur")).as("Create Near: " + folder).isDirectory();
        }
        try (IMAPStore store = server.imaps(user, PASSWORD)) {
            assertThat(serverMessages(store, "INBOX").keySet())
                    .containsExactlyInAnyOrder("server 1", "server 2", "server 3", "local inbox 1");
            Map<String, Flags> localFolder = serverMessages(store, "Local");
            assertThat(localFolder.keySet()).as("Create Far and APPEND")
                    .containsExactlyInAnyOrder("local folder 1", "local folder 2");
            assertThat(localFolder.get("local folder 1").contains(Flags.Flag.SEEN)).isTrue();
            assertThat(localFolder.get("local folder 2").contains(Flags.Flag.SEEN)).isFalse();

            // flags: \Flagged set on the server, S added to a local file name
            setFlag(store, "server 1", Flags.Flag.FLAGGED);
        }
        addLocalFlag(localMessages(local.resolve("INBOX")).get("server 2"), 'S');
        sync(rc);
        Map<String, Path> inbox = localMessages(local.resolve("INBOX"));
        assertThat(maildirFlags(inbox.get("server 1"))).isEqualTo("F");
        assertThat(maildirFlags(inbox.get("server 2"))).isEqualTo("S");
        try (IMAPStore store = server.imaps(user, PASSWORD)) {
            Map<String, Flags> flags = serverMessages(store, "INBOX");
            assertThat(flags.get("server 2").contains(Flags.Flag.SEEN)).as("S went up as \\Seen").isTrue();
            assertThat(flags.get("server 1").contains(Flags.Flag.SEEN)).isFalse();

            // deletions: expunged on the server, and a local file removed
            setFlag(store, "server 3", Flags.Flag.DELETED);
            Folder folder = store.getFolder("INBOX");
            folder.open(Folder.READ_WRITE);
            folder.close(true);
        }
        Files.delete(inbox.get("local inbox 1"));
        sync(rc);
        assertThat(localMessages(local.resolve("INBOX")).keySet()).containsExactlyInAnyOrder("server 1", "server 2");
        try (IMAPStore store = server.imaps(user, PASSWORD)) {
            assertThat(serverMessages(store, "INBOX").keySet()).containsExactlyInAnyOrder("server 1", "server 2");
        }

        // nothing left to do: a further sync changes nothing
        sync(rc);
        assertThat(localMessages(local.resolve("INBOX")).keySet()).containsExactlyInAnyOrder("server 1", "server 2");
        try (IMAPStore store = server.imaps(user, PASSWORD)) {
            assertThat(serverMessages(store, "INBOX").keySet()).containsExactlyInAnyOrder("server 1", "server 2");
            assertThat(serverMessages(store, "Local")).hasSize(2);
        }
    }

    @Test
    void tenThousandMessagesComeDownAndHundredChangesGoUp() throws Exception {
        String user = "big@example.org";
        try (IMAPStore store = server.imaps(user, PASSWORD)) {
            assertThat(store.getFolder("INBOX").exists()).isTrue(); // the first login makes the Maildir
        }
        long writeStart = System.nanoTime();
        writeServerMaildir(server.maildir(user).resolve("cur"));
        System.out.printf("mbsync: wrote %,d messages into the server's Maildir in %d ms%n", BIG,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - writeStart));

        Path local = dir.resolve("big-local");
        Files.createDirectories(local);
        Path rc = rc(local, user);
        long start = System.nanoTime();
        sync(rc);
        long down = System.nanoTime() - start;
        System.out.printf("mbsync: %,d messages synced down into an empty Maildir in %.1f s%n", BIG,
                down / 1e9);

        List<Path> files = localFiles(local.resolve("INBOX"));
        assertThat(files).hasSize(BIG);
        assertThat(files).allMatch(f -> f.getFileName().toString().contains(",U="), "named with their UID");
        assertThat(files.stream().filter(f -> maildirFlags(f).equals("S")).count()).isEqualTo(BIG / 5);

        // 100 local changes: 50 messages flagged, 50 new ones
        List<Path> sorted = files.stream().sorted().toList();
        for (Path file : sorted.subList(0, 50)) {
            addLocalFlag(file, 'F');
        }
        for (int n = 1; n <= 50; n++) {
            writeLocal(local.resolve("INBOX"), "uploaded " + n, null);
        }
        start = System.nanoTime();
        sync(rc);
        long up = System.nanoTime() - start;
        System.out.printf("mbsync: 100 local changes (50 flags, 50 new messages) synced up in %.1f s%n", up / 1e9);

        assertThat(localFiles(local.resolve("INBOX"))).hasSize(BIG + 50)
                .allMatch(f -> f.getFileName().toString().contains(",U="), "uploaded ones renamed with their UID");
        try (IMAPStore store = server.imaps(user, PASSWORD)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isEqualTo(BIG + 50);
            assertThat(inbox.search(new FlagTerm(new Flags(Flags.Flag.FLAGGED), true))).hasSize(50);
            assertThat(inbox.search(new FlagTerm(new Flags(Flags.Flag.SEEN), true))).hasSize(BIG / 5);
            assertThat(inbox.search(new SubjectTerm("uploaded"))).hasSize(50);
            inbox.close(false);
        }
    }

    /** The messages a Dovecot Maildir would hold: LF line ends, S= (size on disk) and W= (size with CRLF). */
    private static void writeServerMaildir(Path cur) throws IOException {
        long time = System.currentTimeMillis() / 1000 - BIG;
        DateTimeFormatter rfc5322 = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT);
        ZonedDateTime date = ZonedDateTime.now().minusDays(30);
        for (int i = 0; i < BIG; i++) {
            StringBuilder text = new StringBuilder()
                    .append("Return-Path: <bulk@example.net>\n")
                    .append("From: Bulk Sender <bulk@example.net>\n")
                    .append("To: <big@example.org>\n")
                    .append("Subject: bulk message ").append(i).append('\n')
                    .append("Date: ").append(date.plusMinutes(i).format(rfc5322)).append('\n')
                    .append("Message-ID: <bulk-").append(i).append("@example.net>\n")
                    .append("MIME-Version: 1.0\n")
                    .append("Content-Type: text/plain; charset=us-ascii\n")
                    .append('\n');
            for (int line = 0; line <= i % 20; line++) {
                text.append("Line ").append(line).append(" of bulk message ").append(i).append(".\n");
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
            long lines = text.chars().filter(c -> c == '\n').count();
            String name = (time + i) + ".M" + i + "P4242.mx.example.org,S=" + bytes.length + ",W="
                    + (bytes.length + lines) + ":2," + (i % 5 == 0 ? "S" : "");
            Files.write(cur.resolve(name), bytes);
        }
    }

    private Path rc(Path local, String user) throws IOException {
        Path rc = local.resolveSibling(local.getFileName() + ".mbsyncrc");
        Files.writeString(rc, """
                IMAPAccount osprey
                Host 127.0.0.1
                Port %d
                User %s
                Pass %s
                SSLType IMAPS
                CertificateFile %s
                SystemCertificates no

                IMAPStore osprey-far
                Account osprey

                MaildirStore osprey-near
                Path %s/
                Inbox %s/INBOX
                SubFolders Verbatim

                Channel osprey
                Far :osprey-far:
                Near :osprey-near:
                Patterns *
                Create Both
                Expunge Both
                Sync All
                SyncState *
                """.formatted(server.imapsPort, user, PASSWORD, server.certificate(), local, local));
        return rc;
    }

    /** Runs mbsync -a; a missing mbsync fails the test with its package name (CI installs it: see .ci/run). */
    private static String sync(Path rc) throws Exception {
        var builder = new ProcessBuilder("mbsync", "-c", rc.toString(), "-a").redirectErrorStream(true);
        builder.environment().put("HOME", dir.toString());
        Process p;
        try {
            p = builder.start();
        } catch (IOException e) {
            throw new AssertionError("mbsync is needed for this test: apt-get install isync", e);
        }
        p.getOutputStream().close();
        var output = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                output.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.append(e);
            }
        });
        boolean finished = p.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly();
        }
        reader.join();
        assertThat(finished).as("mbsync finished within 10 minutes:%n%s", output).isTrue();
        assertThat(p.exitValue()).as("mbsync failed:%n%s%nserver log:%n%s", output,
                Files.readString(server.log())).isZero();
        return output.toString();
    }

    /** A message in a local Maildir folder: in new/ when flags is null, else in cur/ with those flags. */
    private static void writeLocal(Path mailbox, String subject, String flags) throws IOException {
        for (String sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(mailbox.resolve(sub));
        }
        String name = System.currentTimeMillis() + ".local" + System.nanoTime() + ".testhost";
        Path file = flags == null ? mailbox.resolve("new").resolve(name)
                : mailbox.resolve("cur").resolve(name + ":2," + flags);
        Files.writeString(file, ImapTestServer.message("Local User <local@example.net>", "sync@example.org",
                subject, "Written by a local mail program.\n").replace("\r\n", "\n"), StandardCharsets.US_ASCII);
    }

    private static List<Path> localFiles(Path mailbox) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("cur", "new")) {
            if (Files.isDirectory(mailbox.resolve(sub))) {
                try (Stream<Path> list = Files.list(mailbox.resolve(sub))) {
                    list.forEach(files::add);
                }
            }
        }
        return files;
    }

    /** Subject → file of every message in a local Maildir folder. */
    private static Map<String, Path> localMessages(Path mailbox) throws IOException {
        Map<String, Path> messages = new HashMap<>();
        for (Path file : localFiles(mailbox)) {
            assertThat(messages.put(subject(file), file)).as("one message per subject").isNull();
        }
        return messages;
    }

    private static String subject(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.startsWith("Subject: ")) {
                    return line.substring("Subject: ".length());
                }
            }
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The flag letters after ":2,". */
    private static String maildirFlags(Path file) {
        String name = file.getFileName().toString();
        int info = name.indexOf(":2,");
        return info < 0 ? "" : name.substring(info + 3);
    }

    /** Adds a flag letter to a local message's name, keeping the letters in ASCII order (Maildir's rule). */
    private static void addLocalFlag(Path file, char flag) throws IOException {
        String name = file.getFileName().toString();
        int info = name.indexOf(":2,");
        String base = info < 0 ? name : name.substring(0, info);
        char[] flags = (maildirFlags(file) + flag).toCharArray();
        java.util.Arrays.sort(flags);
        Path cur = file.getParent().resolveSibling("cur");
        Files.move(file, cur.resolve(base + ":2," + new String(flags)));
    }

    /** Subject → flags of every message in a server folder. */
    private static Map<String, Flags> serverMessages(IMAPStore store, String name) throws MessagingException {
        Folder folder = store.getFolder(name);
        folder.open(Folder.READ_ONLY);
        try {
            Message[] messages = folder.getMessages();
            var profile = new FetchProfile();
            profile.add(FetchProfile.Item.ENVELOPE);
            profile.add(FetchProfile.Item.FLAGS);
            folder.fetch(messages, profile);
            Map<String, Flags> result = new HashMap<>();
            for (Message m : messages) {
                assertThat(result.put(m.getSubject(), m.getFlags())).as("one message per subject").isNull();
            }
            return result;
        } finally {
            folder.close(false);
        }
    }

    private static void setFlag(IMAPStore store, String subject, Flags.Flag flag) throws MessagingException {
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
        try {
            Message[] found = inbox.search(new SubjectTerm(subject));
            assertThat(found).hasSize(1);
            found[0].setFlag(flag, true);
        } finally {
            inbox.close(false);
        }
    }
}

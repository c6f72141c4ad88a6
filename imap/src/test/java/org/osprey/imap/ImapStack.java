package org.osprey.imap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.config.Config;
import org.osprey.core.io.DirectorySync;
import org.osprey.core.net.ConnectionGate;
import org.osprey.core.net.Listener;
import org.osprey.core.net.Server;
import org.osprey.core.sasl.Authenticator;
import org.osprey.core.sasl.LoginThrottle;
import org.osprey.core.tls.TlsContext;
import org.osprey.directory.Database;
import org.osprey.directory.Directory;
import org.osprey.directory.DirectoryAdmin;
import org.osprey.directory.TestDatabases;
import org.osprey.directory.password.PasswordScheme;
import org.osprey.store.MailboxSignals;
import org.osprey.store.Folders;
import org.osprey.store.MailStore;
import org.osprey.store.MailboxLayout;
import org.osprey.store.StoreEvents;
import org.osprey.store.index.FolderIndexes;
import org.osprey.store.search.FullTextIndexes;

/**
 * The real IMAP stack in this JVM, no mocks: a SQLite directory, the Maildir store and its indexes under a temp
 * directory, and {@link ImapProtocol} on 127.0.0.1 (free ports): "imap" in clear text with STARTTLS (passwords
 * only after TLS) and "imaps" with implicit TLS. Messages arrive through the store's real delivery path, which
 * signals IDLE as the server wires it.
 *
 * <p>Directory: example.org with john@ (password john-secret, no quota) and jane@ (jane-secret, quota
 * {@value #JANE_QUOTA} bytes), and disabled@ (disabled).
 */
final class ImapStack implements AutoCloseable {
    static final String HOSTNAME = "imap.example.org";
    static final long JANE_QUOTA = 20_000;
    static final long APPEND_LIMIT = 1_000_000;
    static final int MAX_ERRORS = 5;

    final Path dir;
    final Database database;
    final Directory directory;
    final MailStore store;
    final FolderIndexes indexes;
    final FullTextIndexes fullText;
    final MailboxSignals signals = new MailboxSignals();
    final Server server;
    final Listener plain;
    final Listener tls;

    private ImapStack(Path dir) throws Exception {
        this.dir = dir;
        database = Database.open(TestDatabases.sqlite(dir).config());
        var admin = new DirectoryAdmin(database, PasswordScheme.BLF_CRYPT);
        admin.addDomain("example.org");
        admin.addUser("john@example.org", "john-secret", 0);
        admin.addUser("jane@example.org", "jane-secret", JANE_QUOTA);
        admin.addUser("disabled@example.org", "disabled-secret", 0);
        admin.setEnabled("disabled@example.org", false);
        directory = new Directory(database, new Config.Directory("+", Duration.ZERO, "BLF-CRYPT"));
        var sync = new DirectorySync();
        store = new MailStore(new MailboxLayout(dir.resolve("vmail")), HOSTNAME, new StoreEvents(), sync);
        store.events().subscribe(d -> signals.changed(
                Folders.path(store.layout().maildir(d.mailbox()), d.folder())));
        indexes = new FolderIndexes(sync, HOSTNAME, 16);
        fullText = new FullTextIndexes(8);
        var throttle = new LoginThrottle(Duration.ZERO, Duration.ZERO, 1000, 1000, Duration.ofSeconds(1),
                Duration.ofMinutes(1), java.time.Clock.systemUTC());
        var authenticator = new Authenticator(directory, throttle);
        Files.createDirectories(dir.resolve("tmp"));
        var limits = new Config.Imap(APPEND_LIMIT, Duration.ofMinutes(30), MAX_ERRORS, 64 * 1024);
        var protocol = new ImapProtocol(HOSTNAME, limits, false, authenticator, directory, store.layout(), indexes,
                fullText, signals, dir.resolve("tmp"));
        TlsContext tlsContext = TlsContext.selfSigned(dir.resolve("tls"), HOSTNAME);
        server = new Server(new ConnectionGate(500, 500));
        plain = new Listener("imap", new InetSocketAddress("127.0.0.1", 0), protocol, false, tlsContext,
                server.gate());
        tls = new Listener("imaps", new InetSocketAddress("127.0.0.1", 0), protocol, true, tlsContext,
                server.gate());
        server.start(plain);
        server.start(tls);
    }

    static ImapStack start() throws Exception {
        return new ImapStack(Files.createTempDirectory("osprey-imap-test"));
    }

    int plainPort() {
        return plain.boundAddress().getPort();
    }

    int tlsPort() {
        return tls.boundAddress().getPort();
    }

    ImapClient login(String user) throws IOException {
        return ImapClient.login(tlsPort(), user + "@example.org", user + "-secret");
    }

    /** Delivers a message (CRLF text) the way SMTP does; returns its file name. */
    String deliver(String user, String folder, String message) throws Exception {
        return store.deliver(EmailAddress.parse(user + "@example.org"), folder, List.of(),
                new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), 0);
    }

    String deliver(String user, String message) throws Exception {
        return deliver(user, Folders.INBOX, message);
    }

    Path maildir(String user) throws Exception {
        return store.layout().maildir(EmailAddress.parse(user + "@example.org"));
    }

    static String message(String subject, String body) {
        return "From: Alice <alice@example.net>\r\nTo: John <john@example.org>\r\nSubject: " + subject
                + "\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\nMessage-ID: <" + Math.abs(subject.hashCode())
                + "." + System.nanoTime() + "@example.net>\r\n\r\n" + body + "\r\n";
    }

    @Override
    public void close() throws IOException {
        server.stop(Duration.ZERO);
        indexes.close();
        fullText.close();
        database.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

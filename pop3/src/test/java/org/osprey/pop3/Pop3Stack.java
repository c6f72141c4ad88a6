package org.osprey.pop3;

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
import org.osprey.store.Folders;
import org.osprey.store.MailStore;
import org.osprey.store.MailboxLayout;
import org.osprey.store.MailboxSignals;
import org.osprey.store.StoreEvents;
import org.osprey.store.index.FolderIndexes;

/**
 * The real POP3 stack in this JVM on 127.0.0.1 (free ports): SQLite directory, Maildir store with its shared
 * folder indexes, "pop3" with STLS and "pop3s" with implicit TLS. {@link #restart} stops everything but the files
 * and starts again on them, as a server restart does. Users: john@example.org (john-secret), jane@ (jane-secret).
 */
final class Pop3Stack implements AutoCloseable {
    static final String HOSTNAME = "pop.example.org";
    static final int MAX_ERRORS = 5;

    final Path dir;
    private Database database;
    MailStore store;
    private FolderIndexes indexes;
    private Server server;
    private Listener plain;
    private Listener tls;

    private Pop3Stack(Path dir, boolean create) throws Exception {
        this.dir = dir;
        database = Database.open(TestDatabases.sqlite(dir).config());
        if (create) {
            var admin = new DirectoryAdmin(database, PasswordScheme.BLF_CRYPT);
            admin.addDomain("example.org");
            admin.addUser("john@example.org", "john-secret", 0);
            admin.addUser("jane@example.org", "jane-secret", 0);
        }
        var directory = new Directory(database, new Config.Directory("+", Duration.ZERO, "BLF-CRYPT"));
        var sync = new DirectorySync();
        store = new MailStore(new MailboxLayout(dir.resolve("vmail")), HOSTNAME, new StoreEvents(), sync);
        indexes = new FolderIndexes(sync, HOSTNAME, 16);
        var throttle = new LoginThrottle(Duration.ZERO, Duration.ZERO, 1000, 1000, Duration.ofSeconds(1),
                Duration.ofMinutes(1), java.time.Clock.systemUTC());
        var protocol = new Pop3Protocol(HOSTNAME, new Config.Pop3(Duration.ofMinutes(10), MAX_ERRORS), false,
                new Authenticator(directory, throttle), directory, store.layout(), indexes, new MailboxSignals());
        TlsContext tlsContext = TlsContext.selfSigned(dir.resolve("tls"), HOSTNAME);
        server = new Server(new ConnectionGate(200, 200));
        plain = new Listener("pop3", new InetSocketAddress("127.0.0.1", 0), protocol, false, tlsContext,
                server.gate());
        tls = new Listener("pop3s", new InetSocketAddress("127.0.0.1", 0), protocol, true, tlsContext,
                server.gate());
        server.start(plain);
        server.start(tls);
    }

    static Pop3Stack start() throws Exception {
        return new Pop3Stack(Files.createTempDirectory("osprey-pop3-test"), true);
    }

    /** Stops the server and closes the indexes, then starts a new one on the same files. */
    Pop3Stack restart() throws Exception {
        stopServer();
        return new Pop3Stack(dir, false);
    }

    int plainPort() {
        return plain.boundAddress().getPort();
    }

    int tlsPort() {
        return tls.boundAddress().getPort();
    }

    void deliver(String user, String message) throws Exception {
        store.deliver(EmailAddress.parse(user + "@example.org"), Folders.INBOX, List.of(),
                new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), 0);
    }

    Path maildir(String user) throws Exception {
        return store.layout().maildir(EmailAddress.parse(user + "@example.org"));
    }

    private void stopServer() {
        server.stop(Duration.ZERO);
        indexes.close();
        database.close();
    }

    @Override
    public void close() throws IOException {
        stopServer();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

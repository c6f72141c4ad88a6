package org.osprey.sieve.managesieve;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.config.Config;
import org.osprey.core.net.ConnectionGate;
import org.osprey.core.net.Listener;
import org.osprey.core.net.Server;
import org.osprey.core.sasl.Authenticator;
import org.osprey.core.sasl.LoginThrottle;
import org.osprey.core.tls.TlsContext;
import org.osprey.directory.Database;
import org.osprey.directory.Directory;
import org.osprey.directory.DirectoryAdmin;
import org.osprey.directory.password.PasswordScheme;
import org.osprey.sieve.store.ScriptStore;

/**
 * The ManageSieve server in this JVM on 127.0.0.1 (a free port) with STARTTLS on a self-signed certificate, a
 * SQLite directory and the script store under a temporary vmail root. Users: john@example.org (john-secret),
 * jane@example.org (jane-secret). The script checker refuses any script containing "syntax-error".
 */
final class SieveStack implements AutoCloseable {
    static final String HOSTNAME = "sieve.example.org";
    static final int MAX_ERRORS = 5;
    static final List<String> EXTENSIONS = List.of("fileinto", "reject", "envelope", "vacation", "imap4flags");
    static final String CHECKER_ERROR = "line 3, column 5: unknown test \"hedaer\"";

    final Path dir;
    final ScriptStore store;
    private final Database database;
    private final Server server;
    private final Listener listener;

    private SieveStack(Path dir, ScriptStore.Limits limits, Duration timeout, boolean plaintext) throws Exception {
        this.dir = dir;
        database = Database.open(new Config.Database("jdbc:sqlite:" + dir.resolve("osprey.db"), "", "", 4));
        var admin = new DirectoryAdmin(database, PasswordScheme.BLF_CRYPT);
        admin.addDomain("example.org");
        admin.addUser("john@example.org", "john-secret", 0);
        admin.addUser("jane@example.org", "jane-secret", 0);
        var directory = new Directory(database, new Config.Directory("+", Duration.ZERO, "BLF-CRYPT"));
        var throttle = new LoginThrottle(Duration.ZERO, Duration.ZERO, 1000, 1000, Duration.ofSeconds(1),
                Duration.ofMinutes(1), Clock.systemUTC());
        Path vmail = dir.resolve("vmail");
        store = new ScriptStore(a -> vmail.resolve(a.domain()).resolve(a.localPart()), limits);
        ScriptChecker checker = text -> text.contains("syntax-error") ? Optional.of(CHECKER_ERROR) : Optional.empty();
        var protocol = new ManageSieveProtocol(EXTENSIONS, 4, plaintext, timeout, MAX_ERRORS,
                new Authenticator(directory, throttle), store, checker);
        TlsContext tls = TlsContext.selfSigned(dir.resolve("tls"), HOSTNAME);
        server = new Server(new ConnectionGate(100, 100));
        listener = new Listener("sieve", new InetSocketAddress("127.0.0.1", 0), protocol, false, tls, server.gate());
        server.start(listener);
    }

    static SieveStack start() throws Exception {
        return start(ScriptStore.Limits.DEFAULT, Duration.ofMinutes(5));
    }

    static SieveStack start(ScriptStore.Limits limits, Duration timeout) throws Exception {
        return new SieveStack(Files.createTempDirectory("osprey-sieve-test"), limits, timeout, false);
    }

    /** Passwords accepted without TLS, as with {@code plaintext_without_tls}. */
    static SieveStack startPlaintextAllowed() throws Exception {
        return new SieveStack(Files.createTempDirectory("osprey-sieve-test"), ScriptStore.Limits.DEFAULT,
                Duration.ofMinutes(5), true);
    }

    /** Stops the server as a shutdown does, with no grace period. */
    void stopServer() {
        server.stop(Duration.ZERO);
    }

    int port() {
        return listener.boundAddress().getPort();
    }

    Path home(String user) {
        return dir.resolve("vmail/example.org").resolve(user);
    }

    static EmailAddress address(String user) {
        try {
            return EmailAddress.parse(user + "@example.org");
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.stop(Duration.ZERO);
        database.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

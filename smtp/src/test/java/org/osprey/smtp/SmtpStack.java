package org.osprey.smtp;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.osprey.core.address.AddressException;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.config.Config;
import org.osprey.core.io.DirectorySync;
import org.osprey.core.net.ConnectionGate;
import org.osprey.core.net.Listener;
import org.osprey.core.net.Server;
import org.osprey.core.sasl.Authenticator;
import org.osprey.core.sasl.LoginThrottle;
import org.osprey.core.tls.TlsContext;
import org.osprey.delivery.DeliveryAgent;
import org.osprey.delivery.LocalDelivery;
import org.osprey.delivery.RecipientPolicy;
import org.osprey.delivery.Spool;
import org.osprey.directory.Database;
import org.osprey.directory.Directory;
import org.osprey.directory.DirectoryAdmin;
import org.osprey.directory.TestDatabases;
import org.osprey.directory.password.PasswordScheme;
import org.osprey.filter.InboundChecks;
import org.osprey.store.Folders;
import org.osprey.store.MailStore;
import org.osprey.store.MailboxLayout;
import org.osprey.store.StoreEvents;

/**
 * The real SMTP stack in this JVM, no mocks: a SQLite directory, the Maildir store under a temp directory, the spool,
 * the delivery agent, the recipient policy and {@link SmtpProtocol} behind a {@link Listener} on 127.0.0.1 (a free
 * port) with a self-signed certificate for STARTTLS.
 *
 * <p>The directory: domains example.org and catchall.example; mailboxes john@ (no quota), jane@ (quota
 * {@value #JANE_QUOTA} bytes) and full@ (quota {@value #FULL_QUOTA} bytes, already over it: a message bigger than
 * the quota is delivered to it while the stack starts); aliases postmaster@ -> john, team@ -> john, jane,
 * ext@ -> someone@example.net (an external target, which stays queued) and the catch-all @catchall.example -> jane.
 *
 * <p>Delivery is asynchronous: tests find what arrived with {@link #awaitMessage}, by a marker unique to the test,
 * so tests sharing one stack never see each other's mail.
 */
final class SmtpStack implements AutoCloseable {
    static final String HOSTNAME = "mx.example.org";
    static final long MAX_MESSAGE_SIZE = 1_048_576;
    static final int MAX_RECIPIENTS = 5;
    static final int MAX_ERRORS = 10;
    static final int MAX_RECEIVED_HEADERS = 50;
    static final long JANE_QUOTA = 200_000;
    static final long FULL_QUOTA = 10_000;
    private static final Pattern QUEUED_AS = Pattern.compile("queued as ([0-9A-Z]+)");

    final Path dir;
    final Database database;
    final Directory directory;
    final MailStore store;
    final Spool spool;
    final DeliveryAgent delivery;
    final Server server;
    final Listener listener;
    /** Submission: 587-style (STARTTLS) and 465-style (implicit TLS). */
    final Listener submission;
    final Listener submissions;

    private SmtpStack(Path dir, Database database, Directory directory, MailStore store, Spool spool,
                      DeliveryAgent delivery, Server server, Listener listener, Listener submission,
                      Listener submissions) {
        this.submission = submission;
        this.submissions = submissions;
        this.dir = dir;
        this.database = database;
        this.directory = directory;
        this.store = store;
        this.spool = spool;
        this.delivery = delivery;
        this.server = server;
        this.listener = listener;
    }

    /** The stack with the limits the tests are written against (1 MiB, 5 recipients, 10 errors). */
    static SmtpStack start() throws Exception {
        return start(MAX_MESSAGE_SIZE);
    }

    static SmtpStack start(long maxMessageSize) throws Exception {
        Path dir = Files.createTempDirectory("osprey-smtp-test");
        Database database = Database.open(TestDatabases.sqlite(dir).config());
        var admin = new DirectoryAdmin(database, PasswordScheme.BLF_CRYPT);
        admin.addDomain("example.org");
        admin.addDomain("catchall.example");
        admin.addUser("john@example.org", "john-secret", 0);
        admin.addUser("jane@example.org", "jane-secret", JANE_QUOTA);
        admin.addUser("full@example.org", "full-secret", FULL_QUOTA);
        admin.addAlias("postmaster@example.org", List.of("john@example.org"));
        admin.addAlias("team@example.org", List.of("john@example.org", "jane@example.org"));
        admin.addAlias("ext@example.org", List.of("someone@example.net"));
        admin.addAlias("@catchall.example", List.of("jane@example.org"));
        admin.addDomain("anyone.example");
        admin.addUser("boss@anyone.example", "boss-secret", 0);
        var directory = new Directory(database, new Config.Directory("+", Duration.ZERO, "BLF-CRYPT"));

        var sync = new DirectorySync();
        var store = new MailStore(new MailboxLayout(dir.resolve("vmail")), HOSTNAME, new StoreEvents(), sync);
        fillQuota(store);
        var spool = new Spool(dir.resolve("spool"), sync);
        var delivery = new DeliveryAgent(spool, new LocalDelivery(directory, store), Clock.systemUTC(),
                Duration.ofMinutes(5), Duration.ofHours(1), 4);
        delivery.start();

        var limits = new Config.Smtp(maxMessageSize, MAX_RECIPIENTS, MAX_ERRORS, Duration.ofSeconds(30),
                Duration.ofSeconds(30), MAX_RECEIVED_HEADERS);
        var protocol = new SmtpProtocol(HOSTNAME, limits, new RecipientPolicy(directory, store), spool, delivery,
                InboundChecks.NONE);
        TlsContext tls = TlsContext.selfSigned(dir.resolve("tls"), HOSTNAME);
        var server = new Server(new ConnectionGate(200, 200));
        var listener = new Listener("smtp", new InetSocketAddress("127.0.0.1", 0), protocol, false, tls,
                server.gate());
        server.start(listener);
        var throttle = new LoginThrottle(Duration.ZERO, Duration.ZERO, 1000, 1000, Duration.ofMinutes(1),
                Duration.ofMinutes(1), Clock.systemUTC());
        var submissionProtocol = new SmtpProtocol(HOSTNAME, limits, new RecipientPolicy(directory, store), spool,
                delivery, InboundChecks.NONE, new Submission(new Authenticator(directory, throttle), directory,
                        new Config.Submission(true, List.of("anyone.example"), false), false, MessageSigner.NONE));
        var submission = new Listener("submission", new InetSocketAddress("127.0.0.1", 0), submissionProtocol,
                false, tls, server.gate());
        server.start(submission);
        var submissions = new Listener("submissions", new InetSocketAddress("127.0.0.1", 0), submissionProtocol,
                true, tls, server.gate());
        server.start(submissions);
        return new SmtpStack(dir, database, directory, store, spool, delivery, server, listener, submission,
                submissions);
    }

    /** full@example.org gets one message bigger than its whole quota, through the store's real write path. */
    private static void fillQuota(MailStore store) throws IOException, AddressException {
        byte[] big = ("Subject: filler\r\n\r\n" + "x".repeat(78) + "\r\n").repeat(200)
                .getBytes(StandardCharsets.US_ASCII);
        store.deliver(EmailAddress.parse("full@example.org"), Folders.INBOX, List.of(), new ByteArrayInputStream(big),
                FULL_QUOTA);
    }

    int submissionPort() {
        return submission.boundAddress().getPort();
    }

    int submissionsPort() {
        return submissions.boundAddress().getPort();
    }

    int port() {
        return listener.boundAddress().getPort();
    }

    SmtpClient connect() throws IOException {
        return SmtpClient.connect(port());
    }

    /** INBOX new/ of a mailbox in example.org, e.g. "john". */
    Path inbox(String localPart) {
        return dir.resolve("vmail").resolve("example.org").resolve(localPart).resolve("Maildir").resolve("new");
    }

    /** The delivered messages of a mailbox whose content contains the marker. */
    List<Path> messagesWith(String localPart, String marker) {
        Path inbox = inbox(localPart);
        if (!Files.isDirectory(inbox)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(inbox)) {
            for (Path f : files.sorted(Comparator.comparing(Path::toString)).toList()) {
                if (Files.readString(f, StandardCharsets.ISO_8859_1).contains(marker)) {
                    found.add(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** Waits (delivery is asynchronous) for a message with the marker in the mailbox, and returns it. */
    Path awaitMessage(String localPart, String marker) {
        return await("delivery of " + marker + " to " + localPart).atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> messagesWith(localPart, marker), list -> !list.isEmpty()).getFirst();
    }

    /** The queue id from a "250 2.0.0 Ok: queued as ID" reply. */
    static String queueId(String reply) {
        Matcher m = QUEUED_AS.matcher(reply);
        if (!m.find()) {
            throw new AssertionError("not a queued reply: " + reply);
        }
        return m.group(1);
    }

    @Override
    public void close() throws IOException {
        server.stop(Duration.ZERO);
        delivery.close();
        database.close();
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

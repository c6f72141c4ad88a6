package org.osprey.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.config.Config;
import org.osprey.core.io.DirectorySync;
import org.osprey.delivery.remote.RemoteDelivery;
import org.osprey.delivery.remote.RemoteSettings;
import org.osprey.delivery.remote.Route;
import org.osprey.delivery.remote.Routes;
import org.osprey.delivery.remote.SmtpTimeouts;
import org.osprey.delivery.remote.MxResolver;
import org.osprey.delivery.remote.TestSmtpServer;
import org.osprey.directory.Database;
import org.osprey.directory.Directory;
import org.osprey.directory.DirectoryAdmin;
import org.osprey.directory.TestDatabases;
import org.osprey.directory.password.PasswordScheme;
import org.osprey.store.MailStore;
import org.osprey.store.MailboxLayout;
import org.osprey.store.StoreEvents;

/**
 * The queue with remote targets, over real sockets to a scripted SMTP server on loopback: retries on the schedule
 * (also across a restart), bounces into the sender's INBOX for a 5xx and for a message that outlived its lifetime,
 * no bounce for the null sender, the delay warning, and hold/release.
 */
class OutboundQueueTest {
    @TempDir
    Path dir;
    Database database;
    Directory directory;
    MailStore store;
    Spool spool;
    TestSmtpServer peer;
    DeliveryAgent agent;

    @BeforeEach
    void setUp() throws Exception {
        database = Database.open(TestDatabases.sqlite(dir).config());
        var admin = new DirectoryAdmin(database, PasswordScheme.BLF_CRYPT);
        admin.addDomain("example.org");
        admin.addUser("john@example.org", "pw", 0);
        directory = new Directory(database, new Config.Directory("+", Duration.ZERO, "BLF-CRYPT"));
        var sync = new DirectorySync();
        store = new MailStore(new MailboxLayout(dir.resolve("vmail")), "mx.example.org", new StoreEvents(), sync);
        spool = new Spool(dir.resolve("spool"), sync);
        peer = TestSmtpServer.start();
    }

    @AfterEach
    void tearDown() throws IOException {
        if (agent != null) {
            agent.close();
        }
        peer.close();
        database.close();
    }

    DeliveryAgent newAgent(Clock clock, Duration firstRetry, Duration lifetime, Duration delayWarning) {
        var settings = RemoteSettings.defaults("mx.example.org")
                .withRoutes(Routes.of(Map.of("remote.example", new Route("127.0.0.1", peer.port(), false, null))))
                .withTimeouts(SmtpTimeouts.all(Duration.ofSeconds(5)));
        var remote = new RemoteDelivery(settings, MxResolver.using("127.0.0.1:1", Duration.ofSeconds(1),
                MxResolver.AddressOrder.IPV4_ONLY));
        var bounces = new Bounces(new Outbox(spool, new RecipientPolicy(directory, store), "mx.example.org", clock),
                clock, lifetime);
        agent = new DeliveryAgent(spool, new LocalDelivery(directory, store), remote, bounces,
                new Srs("queue-test-secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII), clock), clock,
                new DeliveryAgent.Schedule(firstRetry, firstRetry.multipliedBy(4), lifetime, delayWarning), 4);
        return agent;
    }

    Envelope queue(String sender, long arrivalMillis, String... remoteRecipients) throws IOException {
        String id = QueueId.next();
        byte[] bytes = ("From: <" + sender + ">\r\nSubject: outbound " + id + "\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        List<Target> targets = List.of(remoteRecipients).stream()
                .map(r -> new Target(Target.Kind.REMOTE, r, r)).toList();
        var envelope = new Envelope(id, arrivalMillis, sender, List.of(remoteRecipients), targets, "192.0.2.1",
                "client.example.net", "ESMTPSA", false, "7BIT", List.of(), bytes.length);
        spool.enqueue(envelope, bytes);
        return envelope;
    }

    String johnsMail(String text) throws IOException {
        Path inbox = dir.resolve("vmail/example.org/john/Maildir/new");
        if (!Files.isDirectory(inbox)) {
            return null;
        }
        try (var files = Files.list(inbox)) {
            for (Path f : files.toList()) {
                String content = Files.readString(f, StandardCharsets.ISO_8859_1);
                if (content.contains(text)) {
                    return content;
                }
            }
        }
        return null;
    }

    @Test
    void aTemporaryFailureIsRetriedOnTheScheduleAndThenDelivered() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        peer.rcptReply = to -> tries.incrementAndGet() < 3 ? "451 4.7.1 greylisted" : "250 2.1.5 Ok";
        newAgent(Clock.systemUTC(), Duration.ofMillis(300), Duration.ofDays(5), Duration.ZERO);
        Envelope e = queue("john@example.org", System.currentTimeMillis(), "anne@remote.example");
        long start = System.nanoTime();
        agent.submit(e);
        await().atMost(Duration.ofSeconds(10)).until(() -> !peer.messages.isEmpty());
        // 300 ms, then 600 ms: the schedule doubles
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(800));
        assertThat(tries.get()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> !spool.contains(e.id()));
        assertThat(johnsMail("Undelivered")).as("no bounce for a delivered message").isNull();
    }

    @Test
    void aPermanentFailureBouncesIntoTheSendersInboxAndABounceIsNeverBounced() throws Exception {
        peer.rcptReply = to -> to.contains("nobody") ? "550 5.1.1 <nobody@remote.example>: User unknown"
                : "250 2.1.5 Ok";
        newAgent(Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofDays(5), Duration.ZERO);
        Envelope e = queue("john@example.org", System.currentTimeMillis(), "nobody@remote.example",
                "anne@remote.example");
        agent.submit(e);
        String bounce = await().atMost(Duration.ofSeconds(10)).until(() -> johnsMail("Undelivered"), b -> b != null);
        assertThat(bounce).contains("Return-Path: <>", "Final-Recipient: rfc822; nobody@remote.example",
                "Status: 5.1.1", "User unknown", "Subject: outbound " + e.id())
                .doesNotContain("Final-Recipient: rfc822; anne@remote.example");
        assertThat(peer.messages).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !spool.contains(e.id()));

        // the same failure for a message from <> is logged, not reported
        Envelope fromNull = queue("", System.currentTimeMillis(), "nobody@remote.example");
        agent.submit(fromNull);
        await().atMost(Duration.ofSeconds(5)).until(() -> !spool.contains(fromNull.id()));
        assertThat(spool.ids()).isEmpty();
    }

    @Test
    void aMessageStillDeferredAfterItsLifetimeBouncesWithTheLastError() throws Exception {
        peer.rcptReply = to -> "451 4.3.0 try again";
        newAgent(Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofHours(1), Duration.ZERO);
        Envelope e = queue("john@example.org", System.currentTimeMillis() - Duration.ofHours(2).toMillis(),
                "anne@remote.example");
        agent.submit(e);
        String bounce = await().atMost(Duration.ofSeconds(10)).until(() -> johnsMail("Undelivered"), b -> b != null);
        assertThat(bounce).contains("Status: 4.4.7", "Action: failed", "try again");
        await().atMost(Duration.ofSeconds(5)).until(() -> !spool.contains(e.id()));
    }

    @Test
    void theDelayWarningGoesOutOnceAndTheMessageStaysQueued() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        peer.rcptReply = to -> {
            tries.incrementAndGet();
            return "451 4.3.0 try again";
        };
        newAgent(Clock.systemUTC(), Duration.ofMillis(200), Duration.ofDays(5), Duration.ofHours(4));
        Envelope e = queue("john@example.org", System.currentTimeMillis() - Duration.ofHours(5).toMillis(),
                "anne@remote.example");
        agent.submit(e);
        String warning = await().atMost(Duration.ofSeconds(10)).until(() -> johnsMail("Delayed Mail"), w -> w != null);
        assertThat(warning).contains("Action: delayed", "Will-Retry-Until:");
        await().atMost(Duration.ofSeconds(10)).until(() -> tries.get() >= 3);
        try (var files = Files.list(dir.resolve("vmail/example.org/john/Maildir/new"))) {
            assertThat(files.count()).as("one warning, not one per retry").isEqualTo(1);
        }
        assertThat(spool.contains(e.id())).isTrue();
        assertThat(spool.state(e.id()).orElseThrow().warned()).isTrue();
    }

    @Test
    void aRestartKeepsTheScheduleOfADeferredMessage() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        peer.rcptReply = to -> tries.incrementAndGet() == 1 ? "451 4.3.0 later" : "250 2.1.5 Ok";
        newAgent(Clock.systemUTC(), Duration.ofSeconds(3), Duration.ofDays(5), Duration.ZERO);
        Envelope e = queue("john@example.org", System.currentTimeMillis(), "anne@remote.example");
        agent.submit(e);
        await().atMost(Duration.ofSeconds(5)).until(() -> spool.state(e.id()).isPresent());
        long next = spool.state(e.id()).orElseThrow().pending().values().iterator().next().nextMillis();
        agent.close();

        // a new agent after the "restart" waits for the recorded next try instead of trying at once
        newAgent(Clock.systemUTC(), Duration.ofSeconds(3), Duration.ofDays(5), Duration.ZERO).start();
        Thread.sleep(1000);
        assertThat(tries.get()).as("not tried again before its time").isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !peer.messages.isEmpty());
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(next);
    }

    @Test
    void mailAnAliasForwardsToAnotherDomainGoesOutWithAnSrsSender() throws Exception {
        newAgent(Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofDays(5), Duration.ZERO);
        String id = QueueId.next();
        byte[] bytes = "Subject: via alias\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        var forwarded = new Target(Target.Kind.REMOTE, "anne@remote.example", "team@example.org");
        var direct = new Target(Target.Kind.REMOTE, "bob@remote.example", "bob@remote.example");
        var e = new Envelope(id, System.currentTimeMillis(), "alice@origin.example",
                List.of("team@example.org", "bob@remote.example"), List.of(forwarded, direct), "192.0.2.1",
                "client.example.net", "ESMTP", false, "7BIT", List.of(), bytes.length);
        spool.enqueue(e, bytes);
        agent.submit(e);
        await().atMost(Duration.ofSeconds(10)).until(() -> peer.messages.size() == 2);
        assertThat(peer.messages).anySatisfy(m -> {
            assertThat(m.rcptTo()).containsExactly("anne@remote.example");
            assertThat(m.mailFrom()).matches("(?i)FROM:<SRS0=[^=]{4}=[A-Z2-7]{2}=origin\\.example=alice@example\\.org>.*");
        });
        assertThat(peer.messages).anySatisfy(m -> {
            assertThat(m.rcptTo()).containsExactly("bob@remote.example");
            assertThat(m.mailFrom()).startsWith("FROM:<alice@origin.example>");
        });
    }

    @Test
    void aHeldMessageIsLeftAloneUntilReleased() throws Exception {
        newAgent(Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofDays(5), Duration.ZERO);
        Envelope e = queue("john@example.org", System.currentTimeMillis(), "anne@remote.example");
        assertThat(spool.hold(e.id())).isTrue();
        agent.start();
        Thread.sleep(500);
        assertThat(peer.connections()).isZero();
        assertThat(spool.release(e.id())).isTrue();
        assertThat(agent.flush(e.id())).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !peer.messages.isEmpty());
        assertThat(agent.flush("AAAAAAAAAAAA")).isFalse();
    }
}

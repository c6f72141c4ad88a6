package org.osprey.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.config.Config;
import org.osprey.core.io.DirectorySync;
import org.osprey.directory.Database;
import org.osprey.directory.Directory;
import org.osprey.directory.DirectoryAdmin;
import org.osprey.directory.TestDatabases;
import org.osprey.directory.password.PasswordScheme;
import org.osprey.store.MailStore;
import org.osprey.store.MailboxLayout;
import org.osprey.store.StoreEvents;

/** The spool and the delivery agent on real files and a real (SQLite) directory. */
class SpoolAndDeliveryTest {
    @TempDir
    Path dir;
    Database database;
    Directory directory;
    MailStore store;
    Spool spool;
    DeliveryAgent agent;

    @BeforeEach
    void setUp() throws Exception {
        database = Database.open(TestDatabases.sqlite(dir).config());
        var admin = new DirectoryAdmin(database, PasswordScheme.BLF_CRYPT);
        admin.addDomain("example.org");
        admin.addUser("john@example.org", "pw", 0);
        admin.addUser("jane@example.org", "pw", 0);
        directory = new Directory(database, new Config.Directory("+", Duration.ZERO, "BLF-CRYPT"));
        var sync = new DirectorySync();
        store = new MailStore(new MailboxLayout(dir.resolve("vmail")), "mx.example.org", new StoreEvents(), sync);
        spool = new Spool(dir.resolve("spool"), sync);
    }

    @AfterEach
    void tearDown() {
        if (agent != null) {
            agent.close();
        }
        database.close();
    }

    DeliveryAgent newAgent() {
        return new DeliveryAgent(spool, new LocalDelivery(directory, store), Clock.systemUTC(),
                Duration.ofMillis(200), Duration.ofSeconds(1), 4);
    }

    Envelope envelope(String id, long size, Target... targets) {
        return new Envelope(id, System.currentTimeMillis(), "sender@example.net",
                List.of(targets).stream().map(Target::original).distinct().toList(), List.of(targets),
                "192.0.2.1", "client.example.net", "ESMTP", false, "7BIT", List.of("X-Check: passed"), size);
    }

    static Target local(String address) {
        return new Target(Target.Kind.LOCAL, address, address);
    }

    String commit(String body, Target... targets) throws IOException {
        String id = QueueId.next();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Spool.Incoming incoming = spool.create(id);
        incoming.body().write(bytes);
        incoming.commit(envelope(id, bytes.length, targets));
        return id;
    }

    Path inbox(String user) {
        return dir.resolve("vmail/example.org/" + user + "/Maildir/new");
    }

    long count(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (var files = Files.list(folder)) {
            return files.count();
        }
    }

    @Test
    void aCommittedMessageIsReadBackExactly() throws Exception {
        String id = commit("Subject: x\r\n\r\nbody\r\n", local("john@example.org"));
        Envelope e = spool.envelope(id).orElseThrow();
        assertThat(e.sender()).isEqualTo("sender@example.net");
        assertThat(e.targets()).containsExactly(local("john@example.org"));
        assertThat(e.headers()).containsExactly("X-Check: passed");
        try (var in = spool.message(id, e)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("Subject: x\r\n\r\nbody\r\n");
        }
        assertThat(spool.ids()).containsExactly(id);
    }

    @Test
    void anAbortedOrUncommittedMessageLeavesNothingQueued() throws Exception {
        Spool.Incoming aborted = spool.create(QueueId.next());
        aborted.body().write("partial".getBytes(StandardCharsets.US_ASCII));
        aborted.abort();
        Spool.Incoming crashed = spool.create(QueueId.next());
        crashed.body().write("partial".getBytes(StandardCharsets.US_ASCII));
        crashed.body().flush();
        // the process "dies" here: the file stays in incoming/ and is dropped on the next start
        assertThat(spool.ids()).isEmpty();
        assertThat(spool.clearIncoming()).isEqualTo(1);
    }

    @Test
    void aDamagedSpoolFileIsReportedNotMisread() throws Exception {
        String id = commit("Subject: x\r\n\r\nbody\r\n", local("john@example.org"));
        Path file = dir.resolve("spool/queue").resolve(id);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> spool.envelope(id)).isInstanceOf(IOException.class).hasMessageContaining("damaged");
    }

    @Test
    void queuedMessagesAreDeliveredOnStartAsAfterACrash() throws Exception {
        String first = commit("Subject: 1\r\n\r\nx\r\n", local("john@example.org"), local("jane@example.org"));
        String second = commit("Subject: 2\r\n\r\nx\r\n", local("john@example.org"));
        agent = newAgent();
        agent.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> count(inbox("john")) == 2 && count(inbox("jane")) == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> spool.ids().isEmpty());
        assertThat(spool.state(first)).isEmpty();
        assertThat(spool.state(second)).isEmpty();
        String delivered = Files.readString(Files.list(inbox("jane")).findFirst().orElseThrow());
        assertThat(delivered).startsWith("Return-Path: <sender@example.net>\nDelivered-To: jane@example.org\n"
                + "X-Check: passed\nSubject: 1\n");
    }

    @Test
    void remoteTargetsWaitInTheSpoolWhileLocalOnesAreDelivered() throws Exception {
        agent = newAgent();
        agent.start();
        String id = commit("Subject: fwd\r\n\r\nx\r\n", local("john@example.org"),
                new Target(Target.Kind.REMOTE, "friend@example.net", "fwd@example.org"));
        agent.submit(spool.envelope(id).orElseThrow());
        await().atMost(Duration.ofSeconds(10)).until(() -> spool.state(id).isPresent());
        DeliveryState state = spool.state(id).orElseThrow();
        assertThat(state.done()).containsExactly("local:john@example.org");
        assertThat(state.pending()).containsOnlyKeys("remote:friend@example.net");
        assertThat(state.pending().get("remote:friend@example.net").error()).contains("remote delivery");
        assertThat(count(inbox("john"))).isEqualTo(1);

        // After a restart the local copy is not delivered again.
        agent.close();
        agent = newAgent();
        agent.start();
        Thread.sleep(300);
        assertThat(count(inbox("john"))).isEqualTo(1);
        assertThat(spool.ids()).containsExactly(id);
    }

    @Test
    void aMailboxThatVanishedBeforeDeliveryIsGivenUpNotRetriedForever() throws Exception {
        agent = newAgent();
        agent.start();
        String id = commit("Subject: x\r\n\r\nx\r\n", local("ghost@example.org"), local("john@example.org"));
        agent.submit(spool.envelope(id).orElseThrow());
        await().atMost(Duration.ofSeconds(10)).until(() -> spool.ids().isEmpty());
        assertThat(count(inbox("john"))).isEqualTo(1);
    }

    @Test
    void aFailingStoreDefersAndRetriesUntilItWorks() throws Exception {
        // The store root is a file, not a directory: writes fail until an admin fixes it.
        Path vmail = dir.resolve("vmail");
        Files.writeString(vmail, "not a directory");
        agent = newAgent();
        agent.start();
        String id = commit("Subject: x\r\n\r\nx\r\n", local("john@example.org"));
        agent.submit(spool.envelope(id).orElseThrow());
        await().atMost(Duration.ofSeconds(10)).until(() -> spool.state(id).isPresent());
        assertThat(spool.state(id).orElseThrow().pending().get("local:john@example.org").error())
                .startsWith("4.3.0 cannot write to the mailbox");
        Files.delete(vmail);
        await().atMost(Duration.ofSeconds(10)).until(() -> spool.ids().isEmpty());
        assertThat(count(inbox("john"))).isEqualTo(1);
        assertThat(EmailAddress.parse("john@example.org")).isNotNull();
    }
}

package org.osprey.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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
import org.osprey.sieve.SieveLimits;
import org.osprey.sieve.store.ScriptStore;
import org.osprey.store.MailStore;
import org.osprey.store.MailboxLayout;
import org.osprey.store.StoreEvents;

/**
 * Local delivery with Sieve on real files: what each action does to the Maildir and to the queue. The outbox has
 * no agent here, so what Sieve sends stays in the spool where the test reads it.
 */
class SieveDeliveryTest {
    @TempDir
    Path dir;
    Database database;
    MailStore store;
    Spool spool;
    ScriptStore scripts;
    LocalDelivery delivery;
    final EmailAddress john = EmailAddress.parse("john@example.org");

    SieveDeliveryTest() throws Exception {
    }

    @BeforeEach
    void setUp() throws Exception {
        database = Database.open(TestDatabases.sqlite(dir).config());
        var admin = new DirectoryAdmin(database, PasswordScheme.BLF_CRYPT);
        admin.addDomain("example.org");
        admin.addUser("john@example.org", "pw", 0);
        var directory = new Directory(database, new Config.Directory("+", Duration.ZERO, "BLF-CRYPT"));
        var sync = new DirectorySync();
        store = new MailStore(new MailboxLayout(dir.resolve("vmail")), "mx.example.org", new StoreEvents(), sync);
        spool = new Spool(dir.resolve("spool"), sync);
        scripts = new ScriptStore(store.layout()::home, ScriptStore.Limits.DEFAULT);
        Clock clock = Clock.systemUTC();
        var srs = new Srs("secret-of-the-test".getBytes(StandardCharsets.US_ASCII), clock);
        var outbox = new Outbox(spool, new RecipientPolicy(directory, store, srs), "mx.example.org", clock);
        var filter = new SieveFilter(List.of(), List.of(), dir.resolve("global"), scripts, SieveLimits.DEFAULT,
                new DuplicateLog(clock), clock);
        delivery = new LocalDelivery(directory, store, new LocalDelivery.Sieve(filter, outbox, srs,
                new DuplicateLog(clock), clock));
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    void activate(String script) throws Exception {
        scripts.put(john, "rules", script);
        scripts.setActive(john, "rules");
    }

    DeliveryResult deliver(String sender, String message) {
        return deliver(sender, message, List.of());
    }

    /** As delivered after the content checks added {@code checkHeaders}. */
    DeliveryResult deliver(String sender, String message, List<String> checkHeaders) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        var target = new Target(Target.Kind.LOCAL, "john@example.org", "john@example.org");
        var envelope = new Envelope(QueueId.next(), System.currentTimeMillis(), sender, List.of("john@example.org"),
                List.of(target), "192.0.2.1", "mx.origin.example", "ESMTP", false, "7BIT", checkHeaders,
                bytes.length);
        return delivery.deliver(envelope, target, () -> new ByteArrayInputStream(bytes));
    }

    List<Path> files(String folder) throws IOException {
        Path maildir = dir.resolve("vmail/example.org/john/Maildir");
        Path base = folder.equals("INBOX") ? maildir : maildir.resolve("." + folder);
        List<Path> found = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            if (Files.isDirectory(base.resolve(sub))) {
                try (Stream<Path> s = Files.list(base.resolve(sub))) {
                    found.addAll(s.toList());
                }
            }
        }
        return found;
    }

    List<Envelope> queued() throws IOException {
        List<Envelope> envelopes = new ArrayList<>();
        for (String id : spool.ids()) {
            envelopes.add(spool.envelope(id).orElseThrow());
        }
        return envelopes;
    }

    String text(Envelope e) throws IOException {
        try (var in = spool.message(e.id(), e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void fileintoAMissingFolderKeepsInInboxAndCreateMakesTheFolderWithTheFlags() throws Exception {
        activate("""
                require ["fileinto", "mailbox", "imap4flags"];
                if header :contains "Subject" "nowhere" { fileinto "Nowhere"; }
                if header :contains "Subject" "lists" { fileinto :create :flags ["\\\\Seen", "$Osprey"] "Lists/Osprey"; }
                """);
        assertThat(deliver("a@origin.example", "Subject: to nowhere\r\n\r\nx\r\n"))
                .isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(files("INBOX")).hasSize(1);
        assertThat(dir.resolve("vmail/example.org/john/Maildir/.Nowhere")).doesNotExist();

        deliver("a@origin.example", "Subject: lists news\r\n\r\nx\r\n");
        assertThat(files("Lists.Osprey")).singleElement()
                .satisfies(p -> assertThat(p.getFileName().toString()).endsWith(":2,Sa"));
        assertThat(files("INBOX")).hasSize(1);
    }

    @Test
    void spamtestAndVirustestReadWhatTheContentChecksAddedNotWhatTheMessageSays() throws Exception {
        activate("""
                require ["fileinto", "mailbox", "spamtest", "virustest", "relational", "comparator-i;ascii-numeric"];
                if spamtest :value "ge" :comparator "i;ascii-numeric" "6" { fileinto :create "Spammy"; stop; }
                if virustest :value "eq" :comparator "i;ascii-numeric" "1" { fileinto :create "Scanned"; stop; }
                """);
        deliver("a@origin.example", "Subject: scored\r\n\r\nx\r\n",
                List.of("X-Spam-Score: 7.5", "X-Spam-Status: Yes, score=7.5 required=5.0 tests=BAYES_99"));
        assertThat(files("Spammy")).hasSize(1);
        deliver("a@origin.example", "Subject: clean\r\n\r\nx\r\n",
                List.of("X-Virus-Scanned: clamav", "X-Spam-Status: No, score=0.1 required=5.0 tests=none"));
        assertThat(files("Scanned")).hasSize(1);
        deliver("a@origin.example", "Subject: forged\r\nX-Spam-Status: Yes, score=99.0 required=5.0 tests=X\r\n"
                + "X-Virus-Scanned: clamav\r\n\r\nx\r\n");
        assertThat(files("INBOX")).as("the message's own fields are not the checks' verdict").hasSize(1);
    }

    @Test
    void redirectGoesOutOnceWithAnSrsSenderAndReceivedLine() throws Exception {
        activate("redirect \"friend@elsewhere.example\";\n");
        String message = "From: a@origin.example\r\nSubject: fwd\r\nMessage-ID: <once@origin.example>\r\n\r\nhi\r\n";
        DeliveryResult result = deliver("a@origin.example", message);
        assertThat(((DeliveryResult.Delivered) result).detail()).contains("redirect to <friend@elsewhere.example>");
        assertThat(files("INBOX")).as("redirect cancels the implicit keep").isEmpty();
        Envelope sent = queued().getFirst();
        assertThat(sent.sender()).matches("SRS0=[^=]{4}=[A-Z2-7]{2}=origin\\.example=a@example\\.org");
        assertThat(sent.targets()).extracting(Target::address).containsExactly("friend@elsewhere.example");
        assertThat(text(sent)).startsWith("Received: by mx.example.org (Osprey Sieve)").contains("Subject: fwd");

        deliver("a@origin.example", message);
        assertThat(queued()).as("the same message is not redirected twice").hasSize(1);
    }

    @Test
    void rejectSendsTheSenderANoticeAndStoresNothing() throws Exception {
        activate("require \"reject\";\nreject \"I do not take mail from you.\";\n");
        deliver("a@origin.example", "From: a@origin.example\r\nSubject: hello\r\nMessage-ID: <r@origin.example>"
                + "\r\n\r\nhi\r\n");
        assertThat(files("INBOX")).isEmpty();
        Envelope notice = queued().getFirst();
        assertThat(notice.sender()).isEmpty();
        assertThat(notice.recipients()).containsExactly("a@origin.example");
        assertThat(text(notice)).contains("Automatically rejected mail", "I do not take mail from you.",
                "Disposition: automatic-action/MDN-sent-automatically; deleted", "Subject: hello");
    }

    @Test
    void vacationRepliesOncePerSenderAndNeverToTheNullSender() throws Exception {
        activate("require \"vacation\";\nvacation :days 3 :subject \"Out\" \"Back on Monday.\";\n");
        for (int i = 0; i < 2; i++) {
            deliver("bob@origin.example", "From: bob@origin.example\r\nTo: john@example.org\r\nSubject: q" + i
                    + "\r\nMessage-ID: <v" + i + "@origin.example>\r\n\r\n?\r\n");
        }
        deliver("", "From: mailer@origin.example\r\nTo: john@example.org\r\nSubject: bounce\r\n\r\n?\r\n");
        assertThat(files("INBOX")).hasSize(3);
        assertThat(queued()).singleElement().satisfies(reply -> {
            assertThat(reply.sender()).isEmpty();
            assertThat(reply.recipients()).containsExactly("bob@origin.example");
            assertThat(text(reply)).contains("Subject: Out", "Auto-Submitted: auto-replied",
                    "In-Reply-To: <v0@origin.example>", "Back on Monday.");
        });
    }

    @Test
    void aRuntimeErrorKeepsTheMessageInInboxAndSendsNothing() throws Exception {
        activate("""
                redirect "a1@elsewhere.example"; redirect "a2@elsewhere.example"; redirect "a3@elsewhere.example";
                redirect "a4@elsewhere.example"; redirect "a5@elsewhere.example";
                """);
        DeliveryResult result = deliver("a@origin.example", "Subject: many\r\n\r\nx\r\n");
        assertThat(((DeliveryResult.Delivered) result).detail()).contains("Sieve failed");
        assertThat(files("INBOX")).hasSize(1);
        assertThat(queued()).isEmpty();
    }

    @Test
    void aScriptThatDoesNotCompileIsSkippedAndTheMessageDelivered() throws Exception {
        Path home = dir.resolve("vmail/example.org/john");
        Files.createDirectories(home.resolve("sieve"));
        Files.writeString(home.resolve("sieve/broken.sieve"), "if hedaer :is \"a\" \"b\" { discard; }\n");
        Files.createSymbolicLink(home.resolve(".dovecot.sieve"), Path.of("sieve/broken.sieve"));
        deliver("a@origin.example", "Subject: x\r\n\r\nx\r\n");
        assertThat(files("INBOX")).hasSize(1);
    }
}

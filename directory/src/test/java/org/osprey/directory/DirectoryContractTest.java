package org.osprey.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.address.AddressException;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.config.Config;
import org.osprey.directory.password.PasswordScheme;

/**
 * The directory's behaviour, the same on every engine: subclasses say which database. Uses the real servers that
 * run on this machine; nothing is mocked.
 */
abstract class DirectoryContractTest {
    static final Config.Directory SETTINGS =
            new Config.Directory("+", Duration.ofSeconds(4), "BLF-CRYPT");

    @TempDir
    Path tmp;

    TestDatabases.TestDatabase testDb;
    Database database;
    DirectoryAdmin admin;
    Directory directory;

    abstract TestDatabases.TestDatabase create(Path tmp);

    @BeforeEach
    void open() throws Exception {
        testDb = create(tmp);
        database = Database.open(testDb.config());
        admin = new DirectoryAdmin(database, PasswordScheme.BLF_CRYPT);
        directory = new Directory(database, SETTINGS);
        admin.addDomain("example.org");
        admin.addUser("john@example.org", "secret", 2L << 30);
        admin.addUser("jane@example.org", "s3cret ☃", 0);
    }

    @AfterEach
    void close() {
        database.close();
        testDb.close();
    }

    static EmailAddress addr(String s) {
        try {
            return EmailAddress.parse(s);
        } catch (AddressException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void domainsAreFoundCaseInsensitively() {
        assertThat(directory.isLocalDomain("example.org")).isTrue();
        assertThat(directory.isLocalDomain("EXAMPLE.Org")).isTrue();
        assertThat(directory.isLocalDomain("example.net")).isFalse();
    }

    @Test
    void idnDomainIsFoundByUlabelAndAlabel() throws Exception {
        admin.addDomain("bücher.example");
        admin.addUser("anna@bücher.example", "pw", 0);
        assertThat(directory.isLocalDomain("xn--bcher-kva.example")).isTrue();
        assertThat(directory.isLocalDomain("BÜCHER.example")).isTrue();
        assertThat(directory.mailbox(addr("anna@xn--bcher-kva.example"))).isPresent();
        assertThat(directory.check("anna@bücher.example", "pw")).contains("anna@xn--bcher-kva.example");
        assertThatThrownBy(() -> admin.addDomain("xn--bcher-kva.example")).hasMessageContaining("already exists");
    }

    @Test
    void mailboxLookupIgnoresCaseAndUtf8LocalPartsWork() throws Exception {
        assertThat(directory.mailbox(addr("John@Example.ORG"))).get()
                .extracting(Mailbox::quotaBytes).isEqualTo(2L << 30);
        admin.addUser("jürgen@example.org", "pw", 0);
        assertThat(directory.resolve(addr("jürgen@example.org")).mailboxes())
                .containsExactly(addr("jürgen@example.org"));
    }

    @Test
    void passwordCheckReturnsTheCanonicalAccount() {
        assertThat(directory.check("john@example.org", "secret")).contains("john@example.org");
        assertThat(directory.check("JOHN@example.org", "secret")).contains("john@example.org");
        assertThat(directory.check("jane@example.org", "s3cret ☃")).contains("jane@example.org");
        assertThat(directory.check("john@example.org", "wrong")).isEmpty();
        assertThat(directory.check("nobody@example.org", "secret")).isEmpty();
        assertThat(directory.check("not an address", "secret")).isEmpty();
    }

    @Test
    void disabledMailboxCannotLogInButStillReceives() throws Exception {
        admin.setEnabled("john@example.org", false);
        directory.invalidateAll();
        assertThat(directory.check("john@example.org", "secret")).isEmpty();
        assertThat(directory.resolve(addr("john@example.org")).mailboxes()).containsExactly(addr("john@example.org"));
        admin.setEnabled("john@example.org", true);
        directory.invalidateAll();
        assertThat(directory.check("john@example.org", "secret")).isPresent();
    }

    @Test
    void unknownRecipientInOurDomainIsUnknownAndForeignOnesAreExternal() {
        Resolution unknown = directory.resolve(addr("nobody@example.org"));
        assertThat(unknown.isKnown()).isFalse();
        assertThat(unknown.undeliverable()).containsExactly(addr("nobody@example.org"));
        assertThat(directory.resolve(addr("someone@example.net")).external())
                .containsExactly(addr("someone@example.net"));
    }

    @Test
    void subaddressReachesTheMailbox() {
        assertThat(directory.resolve(addr("john+lists@example.org")).mailboxes())
                .containsExactly(addr("john@example.org"));
        assertThat(directory.resolve(addr("+only@example.org")).isKnown()).isFalse();
    }

    @Test
    void aliasesExpandRecursivelyToLocalAndExternalDestinations() throws Exception {
        admin.addAlias("team@example.org", List.of("john@example.org", "sales@example.org"));
        admin.addAlias("sales@example.org", List.of("jane@example.org", "partner@example.net"));
        Resolution r = directory.resolve(addr("team@example.org"));
        assertThat(r.mailboxes()).containsExactlyInAnyOrder(addr("john@example.org"), addr("jane@example.org"));
        assertThat(r.external()).containsExactly(addr("partner@example.net"));
    }

    @Test
    void aliasLoopsEndAndKeepWhatIsReachable() throws Exception {
        admin.addAlias("a@example.org", List.of("b@example.org"));
        admin.addAlias("b@example.org", List.of("a@example.org", "john@example.org"));
        Resolution r = directory.resolve(addr("a@example.org"));
        assertThat(r.mailboxes()).containsExactly(addr("john@example.org"));
    }

    @Test
    void aliasToItselfKeepsACopyInTheMailbox() throws Exception {
        admin.addAlias("john@example.org", List.of("john@example.org", "jane@example.org"));
        assertThat(directory.resolve(addr("john@example.org")).mailboxes())
                .containsExactlyInAnyOrder(addr("john@example.org"), addr("jane@example.org"));
    }

    @Test
    void exactAddressesWinOverTheCatchAll() throws Exception {
        admin.addAlias("@example.org", List.of("jane@example.org"));
        admin.addAlias("postmaster@example.org", List.of("john@example.org"));
        assertThat(directory.resolve(addr("postmaster@example.org")).mailboxes())
                .containsExactly(addr("john@example.org"));
        assertThat(directory.resolve(addr("john@example.org")).mailboxes())
                .containsExactly(addr("john@example.org"));
        assertThat(directory.resolve(addr("john+tag@example.org")).mailboxes())
                .containsExactly(addr("john@example.org"));
        assertThat(directory.resolve(addr("anything@example.org")).mailboxes())
                .containsExactly(addr("jane@example.org"));
    }

    @Test
    void domainAliasMapsLocalPartsIntoAnotherDomain() throws Exception {
        admin.addDomain("example.com");
        admin.addAlias("@example.com", List.of("@example.org"));
        assertThat(directory.resolve(addr("john@example.com")).mailboxes())
                .containsExactly(addr("john@example.org"));
        assertThat(directory.resolve(addr("ghost@example.com")).isKnown()).isFalse();
    }

    @Test
    void changesMadeStraightInSqlAreSeenWithinFiveSeconds() throws Exception {
        assertThat(directory.isLocalDomain("late.example")).isFalse();
        assertThat(directory.resolve(addr("new@example.org")).isKnown()).isFalse();
        long start = System.nanoTime();
        TestDatabases.sql(testDb.config(),
                "INSERT INTO virtual_domains (name) VALUES ('late.example')",
                "INSERT INTO virtual_aliases (domain_id, source, destination) SELECT id, 'new@example.org',"
                        + " 'john@example.org' FROM virtual_domains WHERE name = 'example.org'");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> directory.isLocalDomain("late.example")
                        && directory.resolve(addr("new@example.org")).isKnown());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void passwordChangeTakesEffect() throws Exception {
        admin.setPassword("john@example.org", "new password");
        directory.invalidateAll();
        assertThat(directory.check("john@example.org", "secret")).isEmpty();
        assertThat(directory.check("john@example.org", "new password")).isPresent();
        assertThat(admin.listUsers(Optional.empty()).stream().filter(m -> m.address().equals(addr("john@example.org")))
                .findFirst().orElseThrow().passwordHash()).startsWith("{BLF-CRYPT}$2y$");
    }

    @Test
    void refusedChangesWriteNothing() throws Exception {
        assertThatThrownBy(() -> admin.addUser("x@unknown.example", "pw", 0)).hasMessageContaining("not ours");
        assertThatThrownBy(() -> admin.addUser("john@example.org", "pw", 0)).hasMessageContaining("already exists");
        assertThatThrownBy(() -> admin.addUser("bad address", "pw", 0)).hasMessageContaining("not a valid address");
        assertThatThrownBy(() -> admin.addUser("x@example.org", "", 0)).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> admin.addDomain("bad_domain!")).hasMessageContaining("not a valid domain");
        admin.addAlias("list@example.org", List.of("john@example.org"));
        // One duplicate in the list refuses the whole command: the new destination is not added either.
        assertThatThrownBy(() -> admin.addAlias("list@example.org", List.of("jane@example.org", "john@example.org")))
                .hasMessageContaining("already exists");
        assertThat(admin.listAliases(Optional.empty())).containsExactly(new Alias("list@example.org",
                "john@example.org"));
        assertThatThrownBy(() -> admin.addAlias("x@foreign.example", List.of("john@example.org")))
                .hasMessageContaining("not ours");
        assertThat(admin.listUsers(Optional.empty())).hasSize(2);
    }

    @Test
    void domainWithMailboxesIsRemovedOnlyWithForce() throws Exception {
        admin.addAlias("@example.org", List.of("john@example.org"));
        assertThatThrownBy(() -> admin.removeDomain("example.org", false))
                .hasMessageContaining("still has 2 mailbox(es) and 1 alias(es)");
        assertThat(directory.isLocalDomain("example.org")).isTrue();
        var removed = admin.removeDomain("example.org", true);
        assertThat(removed.mailboxes()).isEqualTo(2);
        assertThat(admin.listDomains()).isEmpty();
        assertThat(admin.listUsers(Optional.empty())).isEmpty();
        assertThat(admin.listAliases(Optional.empty())).isEmpty();
    }

    @Test
    void removingAliasesOneDestinationOrAll() throws Exception {
        admin.addAlias("team@example.org", List.of("john@example.org", "jane@example.org"));
        assertThat(admin.removeAlias("team@example.org", Optional.of("jane@example.org"))).isEqualTo(1);
        assertThat(admin.listAliases(Optional.of("example.org")))
                .containsExactly(new Alias("team@example.org", "john@example.org"));
        assertThat(admin.removeAlias("team@example.org", Optional.empty())).isEqualTo(1);
        assertThatThrownBy(() -> admin.removeAlias("team@example.org", Optional.empty()))
                .hasMessageContaining("no such alias");
    }

    @Test
    void migrationsRunAgainWithoutHarm() throws Exception {
        database.close();
        database = Database.open(testDb.config());
        assertThat(new DirectoryAdmin(database, PasswordScheme.BLF_CRYPT).listDomains()).hasSize(1);
    }
}

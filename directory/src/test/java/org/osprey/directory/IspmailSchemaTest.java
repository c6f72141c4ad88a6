package org.osprey.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.sasl.AuthResult;
import org.osprey.core.sasl.Authenticator;
import org.osprey.core.sasl.LoginThrottle;
import org.osprey.core.sasl.SaslServer;
import org.osprey.directory.password.PasswordScheme;

/**
 * An existing ISPmail database, made by hand exactly as the ISPmail guide (and ../shared/peers) makes it, with
 * passwords written by Dovecot's doveadm, works unchanged: Osprey's migrations leave those tables alone and add
 * only their own, and users log in and receive as before.
 */
class IspmailSchemaTest {
    /** {@code doveadm pw -s BLF-CRYPT -p secret} and {@code -s SHA512-CRYPT}, Dovecot 2.3.19 on Debian 12. */
    static final String JOHN_HASH = "{BLF-CRYPT}$2y$05$0CzRsmjZg16hG4Z2Ea/FcORMFE5GQIdsFfHGJM1X39Z1S7UyE7WBm";
    static final String JANE_HASH = "{SHA512-CRYPT}$6$JQN9JCw6SsncLSjd$5zcuo8Tg/C3mqR0CdHA3zYQ.NFySEZYUOtFsCvgtYdjqi"
            + "v7ac.8IhuP3artVSE84i3ouFtBArlS3p9FOAGAco/";

    TestDatabases.TestDatabase testDb;
    Database database;

    @BeforeEach
    void createIspmailTablesByHand() {
        testDb = TestDatabases.mariadb();
        TestDatabases.sql(testDb.config(),
                """
                CREATE TABLE IF NOT EXISTS `virtual_domains` (
                 `id` int(11) NOT NULL auto_increment,
                 `name` varchar(50) NOT NULL,
                 PRIMARY KEY (`id`),
                 UNIQUE KEY `name` (`name`)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""",
                """
                CREATE TABLE IF NOT EXISTS `virtual_users` (
                 `id` int(11) NOT NULL auto_increment,
                 `domain_id` int(11) NOT NULL,
                 `email` varchar(100) NOT NULL,
                 `password` varchar(150) NOT NULL,
                 `quota` bigint(11) NOT NULL DEFAULT 0,
                 PRIMARY KEY (`id`),
                 UNIQUE KEY `email` (`email`),
                 FOREIGN KEY (domain_id) REFERENCES virtual_domains(id) ON DELETE CASCADE
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""",
                """
                CREATE TABLE IF NOT EXISTS `virtual_aliases` (
                 `id` int(11) NOT NULL auto_increment,
                 `domain_id` int(11) NOT NULL,
                 `source` varchar(100) NOT NULL,
                 `destination` varchar(100) NOT NULL,
                 PRIMARY KEY (`id`),
                 FOREIGN KEY (domain_id) REFERENCES virtual_domains(id) ON DELETE CASCADE
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""",
                "INSERT INTO virtual_domains (id, name) VALUES (1, 'example.org')",
                "INSERT INTO virtual_users (domain_id, email, password, quota) VALUES"
                        + " (1, 'john@example.org', '" + JOHN_HASH + "', 0),"
                        + " (1, 'jane@example.org', '" + JANE_HASH + "', 1073741824)",
                "INSERT INTO virtual_aliases (domain_id, source, destination) VALUES"
                        + " (1, 'postmaster@example.org', 'john@example.org')");
    }

    @AfterEach
    void drop() {
        if (database != null) {
            database.close();
        }
        testDb.close();
    }

    @Test
    void existingIspmailDatabaseIsServedUnchanged() throws Exception {
        database = Database.open(testDb.config());
        var directory = new Directory(database, DirectoryContractTest.SETTINGS);
        var authenticator = new Authenticator(directory, new LoginThrottle(Duration.ZERO, Duration.ZERO, 100, 100,
                Duration.ofMinutes(1), Duration.ofHours(1), Clock.systemUTC()));

        // A client logging in with SASL PLAIN, as Thunderbird does over IMAP or SMTP AUTH.
        var sasl = SaslServer.start("PLAIN");
        assertThat(sasl.respond("\0john@example.org\0secret".getBytes(StandardCharsets.UTF_8))).isEmpty();
        AuthResult result = authenticator.authenticate(sasl.credentials().orElseThrow(),
                InetAddress.getLoopbackAddress(), "test");
        assertThat(result).isEqualTo(new AuthResult.Success("john@example.org"));

        assertThat(directory.check("jane@example.org", "secret")).contains("jane@example.org");
        assertThat(directory.check("jane@example.org", "Secret")).isEmpty();
        assertThat(directory.mailbox(EmailAddress.parse("jane@example.org")).orElseThrow().quotaBytes())
                .isEqualTo(1L << 30);
        assertThat(directory.resolve(EmailAddress.parse("postmaster@example.org")).mailboxes())
                .containsExactly(EmailAddress.parse("john@example.org"));

        // The admin CLI works on it too, and what it writes the hand-made schema accepts.
        var admin = new DirectoryAdmin(database, PasswordScheme.ARGON2ID);
        admin.addUser("new@example.org", "pw", 0);
        directory.invalidateAll();
        assertThat(directory.check("new@example.org", "pw")).contains("new@example.org");
        assertThat(admin.listUsers(Optional.empty())).hasSize(3);
    }

    @Test
    void theHandMadeTablesAreNotAltered() throws Exception {
        database = Database.open(testDb.config());
        database.close();
        database = null;
        var columns = new java.util.ArrayList<String>();
        try (var c = java.sql.DriverManager.getConnection(testDb.config().url(), "root", "");
             var rs = c.createStatement().executeQuery("SELECT column_name, character_maximum_length FROM"
                     + " information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'virtual_users'"
                     + " ORDER BY ordinal_position")) {
            while (rs.next()) {
                columns.add(rs.getString(1) + ":" + rs.getString(2));
            }
        }
        assertThat(columns).containsExactly("id:null", "domain_id:null", "email:100", "password:150", "quota:null");
    }
}

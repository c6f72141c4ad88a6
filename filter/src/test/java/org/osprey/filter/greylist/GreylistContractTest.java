package org.osprey.filter.greylist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osprey.directory.Database;
import org.osprey.directory.TestDatabases.TestDatabase;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.Verdict;

/** The greylist's behaviour on a real database whose schema the directory's migrations made; one subclass per engine. */
abstract class GreylistContractTest {
    static final String SENDER = "alice@sender.example";
    static final String RCPT = "bob@osprey.test";

    private TestDatabase testDatabase;
    Database database;
    final MovableClock clock = new MovableClock(Instant.parse("2026-11-02T10:00:00Z"));

    abstract TestDatabase createDatabase() throws Exception;

    @BeforeEach
    void openDatabase() throws Exception {
        testDatabase = createDatabase();
        database = Database.open(testDatabase.config());
    }

    @AfterEach
    void closeDatabase() {
        database.close();
        testDatabase.close();
    }

    Greylist greylist() {
        return greylist(database);
    }

    Greylist greylist(Database db) {
        return new Greylist(db.dataSource(), new Greylist.Settings(Duration.ofMinutes(5), Duration.ofHours(24),
                Cidr.parseAll(List.of("127.0.0.0/8", "::1/128", "198.51.100.0/24")), Duration.ofDays(35)), clock);
    }

    static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    static void assertGreylisted(Verdict verdict, long seconds) {
        assertThat(verdict).isEqualTo(
                new Verdict.TempFail(451, "4.7.1", "Greylisted, please try again in " + seconds + " seconds"));
    }

    @Test
    void firstTryIsTempFailedWith451() throws Exception {
        assertGreylisted(greylist().check(ip("192.0.2.10"), SENDER, RCPT, false), 300);
    }

    @Test
    void retryBeforeTheDelayIsStillTempFailedAndDoesNotRestartTheClock() throws Exception {
        Greylist g = greylist();
        g.check(ip("192.0.2.10"), SENDER, RCPT, false);
        clock.advance(Duration.ofMinutes(2));
        assertGreylisted(g.check(ip("192.0.2.10"), SENDER, RCPT, false), 180);
        clock.advance(Duration.ofSeconds(179));
        assertGreylisted(g.check(ip("192.0.2.10"), SENDER, RCPT, false), 1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(g.check(ip("192.0.2.10"), SENDER, RCPT, false)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void retryAfterTheDelayIsAcceptedAndStaysAccepted() throws Exception {
        Greylist g = greylist();
        g.check(ip("192.0.2.10"), SENDER, RCPT, false);
        clock.advance(Duration.ofMinutes(6));
        assertThat(g.check(ip("192.0.2.10"), SENDER, RCPT, false)).isEqualTo(Verdict.ACCEPT);
        clock.advance(Duration.ofDays(20));
        assertThat(g.check(ip("192.0.2.10"), SENDER, RCPT, false)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void retryFromAnotherAddressOfTheSameSlash24Counts() throws Exception {
        Greylist g = greylist();
        g.check(ip("192.0.2.10"), SENDER, RCPT, false);
        clock.advance(Duration.ofMinutes(6));
        assertThat(g.check(ip("192.0.2.200"), SENDER, RCPT, false)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void retryAfterTheWindowStartsOver() throws Exception {
        Greylist g = greylist();
        g.check(ip("192.0.2.10"), SENDER, RCPT, false);
        clock.advance(Duration.ofHours(24).plusSeconds(1));
        assertGreylisted(g.check(ip("192.0.2.10"), SENDER, RCPT, false), 300);
        clock.advance(Duration.ofMinutes(4));
        assertGreylisted(g.check(ip("192.0.2.10"), SENDER, RCPT, false), 60);
        clock.advance(Duration.ofMinutes(1));
        assertThat(g.check(ip("192.0.2.10"), SENDER, RCPT, false)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void afterOnePassTheClientNetworkIsAutoWhitelistedForOtherSenders() throws Exception {
        Greylist g = greylist();
        g.check(ip("192.0.2.10"), SENDER, RCPT, false);
        clock.advance(Duration.ofMinutes(5));
        assertThat(g.check(ip("192.0.2.10"), SENDER, RCPT, false)).isEqualTo(Verdict.ACCEPT);

        clock.advance(Duration.ofHours(1));
        assertThat(g.check(ip("192.0.2.77"), "carol@elsewhere.example", "dave@osprey.test", false))
                .isEqualTo(Verdict.ACCEPT);
        // Another network is not.
        assertGreylisted(g.check(ip("192.0.3.10"), SENDER, RCPT, false), 300);
    }

    @Test
    void autoWhitelistEndsAfterItsPeriodWithoutMailAndIsRenewedByMail() throws Exception {
        Greylist g = greylist();
        g.check(ip("192.0.2.10"), SENDER, RCPT, false);
        clock.advance(Duration.ofMinutes(5));
        g.check(ip("192.0.2.10"), SENDER, RCPT, false);

        clock.advance(Duration.ofDays(30));
        assertThat(g.check(ip("192.0.2.10"), "x@other.example", RCPT, false)).isEqualTo(Verdict.ACCEPT);
        clock.advance(Duration.ofDays(30)); // 30 days after the renewal: still inside 35
        assertThat(g.check(ip("192.0.2.10"), "y@other.example", RCPT, false)).isEqualTo(Verdict.ACCEPT);
        clock.advance(Duration.ofDays(36));
        assertGreylisted(g.check(ip("192.0.2.10"), "z@other.example", RCPT, false), 300);
        assertGreylisted(g.check(ip("192.0.2.10"), SENDER, RCPT, false), 300);
    }

    @Test
    void whitelistedNetworksAreNeverGreylisted() throws Exception {
        Greylist g = greylist();
        assertThat(g.check(ip("127.0.0.1"), SENDER, RCPT, false)).isEqualTo(Verdict.ACCEPT);
        assertThat(g.check(ip("::1"), SENDER, RCPT, false)).isEqualTo(Verdict.ACCEPT);
        assertThat(g.check(ip("198.51.100.99"), SENDER, RCPT, false)).isEqualTo(Verdict.ACCEPT);
        assertThat(rows("osprey_greylist")).isZero();
    }

    @Test
    void authenticatedUsersAreNeverGreylisted() throws Exception {
        Greylist g = greylist();
        var authenticated = new SmtpFacts(ip("203.0.113.5"), Optional.of("mua"), true, Optional.of("bob@osprey.test"));
        assertThat(g.rcpt(authenticated, SENDER, "friend@remote.example")).isEqualTo(Verdict.ACCEPT);
        assertThat(g.check(ip("203.0.113.5"), SENDER, RCPT, true)).isEqualTo(Verdict.ACCEPT);
        assertThat(rows("osprey_greylist")).isZero();

        var anonymous = new SmtpFacts(ip("203.0.113.5"), Optional.of("mx"), false, Optional.empty());
        assertGreylisted(g.rcpt(anonymous, SENDER, RCPT), 300);
    }

    @Test
    void stateSurvivesARestart() throws Exception {
        greylist().check(ip("192.0.2.10"), SENDER, RCPT, false);
        database.close();
        database = Database.open(testDatabase.config());
        clock.advance(Duration.ofMinutes(1));
        assertGreylisted(greylist().check(ip("192.0.2.10"), SENDER, RCPT, false), 240);
        clock.advance(Duration.ofMinutes(4));
        assertThat(greylist().check(ip("192.0.2.10"), SENDER, RCPT, false)).isEqualTo(Verdict.ACCEPT);
        // and the auto-whitelist too
        database.close();
        database = Database.open(testDatabase.config());
        assertThat(greylist().check(ip("192.0.2.1"), "new@sender.example", RCPT, false)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void ipv6ClientsAreGroupedBySlash64() throws Exception {
        Greylist g = greylist();
        assertGreylisted(g.check(ip("2001:db8:1:2::10"), SENDER, RCPT, false), 300);
        clock.advance(Duration.ofMinutes(5));
        assertThat(g.check(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"), SENDER, RCPT, false)).isEqualTo(Verdict.ACCEPT);
        assertGreylisted(g.check(ip("2001:db8:1:3::10"), SENDER, RCPT, false), 300);
    }

    @Test
    void senderTokensDoNotMakeANewTriplet() throws Exception {
        Greylist g = greylist();
        g.check(ip("192.0.2.10"), "prvs=1234abcdef=News+4711@Sender.Example", RCPT, false);
        clock.advance(Duration.ofMinutes(5));
        assertThat(g.check(ip("192.0.2.10"), "prvs=9876fedcba=news+4712@sender.example", RCPT, false))
                .isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void theNullSenderIsGreylistedLikeAnyOther() throws Exception {
        Greylist g = greylist();
        assertGreylisted(g.check(ip("192.0.2.10"), "", RCPT, false), 300);
        clock.advance(Duration.ofMinutes(5));
        assertThat(g.check(ip("192.0.2.10"), "", RCPT, false)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void cleanupDeletesExpiredRowsOnly() throws Exception {
        Greylist g = greylist();
        g.check(ip("192.0.2.10"), SENDER, RCPT, false);           // expires after the window
        clock.advance(Duration.ofMinutes(5));
        g.check(ip("192.0.2.10"), SENDER, RCPT, false);           // passed: kept 35 days
        g.check(ip("192.0.3.10"), SENDER, RCPT, false);           // new: expires after the window
        assertThat(rows("osprey_greylist")).isEqualTo(2);
        assertThat(rows("osprey_greylist_clients")).isEqualTo(1);

        clock.advance(Duration.ofDays(2));
        assertThat(g.cleanup()).isEqualTo(1);
        assertThat(rows("osprey_greylist")).isEqualTo(1);
        assertThat(rows("osprey_greylist_clients")).isEqualTo(1);

        clock.advance(Duration.ofDays(40));
        // the lazy cleanup runs on the next check (its hour has passed)
        g.check(ip("127.0.0.1"), SENDER, RCPT, false); // whitelisted: no database work
        assertThat(rows("osprey_greylist")).isEqualTo(1);
        g.check(ip("192.0.4.10"), SENDER, RCPT, false);
        assertThat(rows("osprey_greylist")).isEqualTo(1); // only the new one
        assertThat(rows("osprey_greylist_clients")).isZero();
    }

    @Test
    void concurrentFirstTriesOfOneTripletAreAllGreylisted() throws Exception {
        Greylist g = greylist();
        InetAddress client = ip("192.0.2.10");
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Verdict>> verdicts = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                verdicts.add(executor.submit(() -> g.check(client, SENDER, RCPT, false)));
            }
            for (Future<Verdict> v : verdicts) {
                // A lost insert race would surface as a database error, i.e. a fail-open ACCEPT.
                assertThat(v.get()).isInstanceOf(Verdict.TempFail.class);
            }
        }
        assertThat(rows("osprey_greylist")).isEqualTo(1);
    }

    @Test
    void aDatabaseFailureAcceptsTheMail() throws Exception {
        Greylist g = greylist();
        database.close();
        assertThat(g.check(ip("192.0.2.10"), SENDER, RCPT, false)).isEqualTo(Verdict.ACCEPT);
        database = Database.open(testDatabase.config());
    }

    long rows(String table) throws SQLException {
        try (Connection c = database.connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

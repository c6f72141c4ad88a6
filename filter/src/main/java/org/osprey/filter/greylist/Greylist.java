package org.osprey.filter.greylist;

import java.net.InetAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.osprey.filter.InboundChecks;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Greylisting at RCPT on the triplet (client network, normalized sender, recipient), see {@link Triplet}.
 *
 * <ul>
 * <li>A new triplet gets {@code 451 4.7.1 Greylisted, please try again in N seconds}; retries before
 *     {@code delay} has passed get the same answer with the remaining time (they do not restart the clock).</li>
 * <li>A retry after {@code delay} and before {@code window} (both counted from the first try) is accepted; the
 *     triplet is then "passed" and its client network is auto-whitelisted, both for {@code autoWhitelist},
 *     renewed by further mail. A retry after {@code window} starts over as a new triplet.</li>
 * <li>Authenticated clients and clients in {@code whitelist} are never greylisted.</li>
 * <li>State lives in the directory's SQL database, so it survives a restart and is shared by several servers
 *     on one database. Expired rows are deleted lazily, at most once per {@link #CLEANUP_INTERVAL} by one indexed
 *     DELETE per table, or by {@link #cleanup()}.</li>
 * <li>When the database fails the mail is accepted (fail open) and one warning is logged: greylisting is a
 *     spam-reduction heuristic, and a database outage must not turn into refused mail.</li>
 * </ul>
 * Thread-safe: the object holds no per-triplet state in memory.
 */
public final class Greylist implements InboundChecks {
    private static final Logger log = LoggerFactory.getLogger(Greylist.class);

    static final Duration CLEANUP_INTERVAL = Duration.ofHours(1);

    /**
     * {@code [filter.greylist]}: {@code delay} before a retry is accepted, {@code window} after the first try in
     * which the retry must come, networks never greylisted, and how long a passed triplet and its client network
     * stay accepted without greylisting after their last mail.
     */
    public record Settings(Duration delay, Duration window, List<Cidr> whitelist, Duration autoWhitelist) {
        public static final Duration DEFAULT_DELAY = Duration.ofMinutes(5);
        public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
        public static final List<String> DEFAULT_WHITELIST = List.of("127.0.0.0/8", "::1/128");
        public static final Duration DEFAULT_AUTO_WHITELIST = Duration.ofDays(35);

        public Settings {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(autoWhitelist, "autoWhitelist");
            whitelist = List.copyOf(whitelist);
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative: " + delay);
            }
            if (window.compareTo(delay) <= 0) {
                throw new IllegalArgumentException("window (" + window + ") must be longer than delay (" + delay + ")");
            }
            if (!autoWhitelist.isPositive()) {
                throw new IllegalArgumentException("autoWhitelist must be positive: " + autoWhitelist);
            }
        }

        /** The defaults: 5 minutes, 24 hours, loopback whitelisted, 35 days of auto-whitelisting. */
        public static Settings defaults() {
            return new Settings(DEFAULT_DELAY, DEFAULT_WINDOW, Cidr.parseAll(DEFAULT_WHITELIST), DEFAULT_AUTO_WHITELIST);
        }
    }

    private final GreylistStore store;
    private final Settings settings;
    private final Clock clock;
    private final AtomicLong nextCleanup = new AtomicLong(Long.MIN_VALUE);

    /** {@code dataSource}: the directory database's pool ({@code Database.dataSource()}), migrated to V3 or later. */
    public Greylist(DataSource dataSource, Settings settings, Clock clock) {
        this.store = new GreylistStore(dataSource);
        this.settings = settings;
        this.clock = clock;
    }

    public Greylist(DataSource dataSource, Settings settings) {
        this(dataSource, settings, Clock.systemUTC());
    }

    @Override
    public Verdict rcpt(SmtpFacts facts, String sender, String recipient) {
        return check(facts.client(), sender, recipient, facts.authenticatedUser().isPresent());
    }

    public Verdict check(InetAddress client, String sender, String recipient, boolean authenticated) {
        if (authenticated || settings.whitelist().stream().anyMatch(n -> n.contains(client))) {
            return Verdict.ACCEPT;
        }
        long now = clock.instant().getEpochSecond();
        Triplet triplet = Triplet.of(client, sender, recipient);
        try {
            cleanupIfDue(now);
            return decide(triplet, now);
        } catch (SQLException e) {
            log.warn("greylisting skipped for {} from {}: database error: {}", triplet.network(), triplet.sender(),
                    e.getMessage());
            return Verdict.ACCEPT;
        }
    }

    /** Deletes expired triplets and auto-whitelist entries now; returns how many rows went. */
    public int cleanup() throws SQLException {
        long now = clock.instant().getEpochSecond();
        nextCleanup.set(now + CLEANUP_INTERVAL.toSeconds());
        return store.deleteExpired(now);
    }

    private Verdict decide(Triplet triplet, long now) throws SQLException {
        long autoWhitelist = settings.autoWhitelist().toSeconds();
        var client = store.clientExpiry(triplet.network());
        if (client.isPresent() && client.get() > now) {
            // Renew at most every tenth of the period (or hour), not on every RCPT.
            long slack = Math.min(CLEANUP_INTERVAL.toSeconds(), autoWhitelist / 10);
            if (client.get() < now + autoWhitelist - slack) {
                store.putClient(triplet.network(), now + autoWhitelist);
            }
            return Verdict.ACCEPT;
        }
        var entry = store.triplet(triplet.key()).filter(e -> e.expiresAt() > now);
        if (entry.isEmpty()) {
            store.putTriplet(triplet, new GreylistStore.Entry(now, false, now + settings.window().toSeconds()));
            log.info("greylisted {} from {} to {}", triplet.network(), triplet.sender(), triplet.recipient());
            return tempFail(settings.delay().toSeconds());
        }
        GreylistStore.Entry e = entry.get();
        if (!e.passed()) {
            long wait = e.firstSeen() + settings.delay().toSeconds() - now;
            if (wait > 0) {
                return tempFail(wait);
            }
            log.info("greylist passed by {} from {} to {} after {} s", triplet.network(), triplet.sender(),
                    triplet.recipient(), now - e.firstSeen());
        }
        store.putTriplet(triplet, new GreylistStore.Entry(e.firstSeen(), true, now + autoWhitelist));
        store.putClient(triplet.network(), now + autoWhitelist);
        return Verdict.ACCEPT;
    }

    private void cleanupIfDue(long now) throws SQLException {
        long due = nextCleanup.get();
        if (now >= due && nextCleanup.compareAndSet(due, now + CLEANUP_INTERVAL.toSeconds())) {
            int deleted = store.deleteExpired(now);
            if (deleted > 0) {
                log.debug("greylist cleanup deleted {} expired rows", deleted);
            }
        }
    }

    private static Verdict tempFail(long seconds) {
        return new Verdict.TempFail(451, "4.7.1", "Greylisted, please try again in " + Math.max(1, seconds)
                + " seconds");
    }
}

package org.osprey.core.sasl;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per client IP and per account. From the second failure on, each failed attempt is answered
 * only after a delay that doubles up to a maximum; after a number of failures the IP or the account is blocked for a
 * while, and attempts are refused without checking the password. Counts are forgotten after a quiet period.
 */
public final class LoginThrottle {
    /** The number of failures to remember before sweeping idle entries, to bound memory under a spray attack. */
    private static final int SWEEP_THRESHOLD = 10_000;

    private final Duration firstDelay;
    private final Duration maxDelay;
    private final int blockAfterPerIp;
    private final int blockAfterPerAccount;
    private final Duration blockFor;
    private final Duration forgetAfter;
    private final Clock clock;
    private final Map<InetAddress, Failures> byIp = new ConcurrentHashMap<>();
    private final Map<String, Failures> byAccount = new ConcurrentHashMap<>();

    public LoginThrottle(Duration firstDelay, Duration maxDelay, int blockAfterPerIp, int blockAfterPerAccount,
                         Duration blockFor, Duration forgetAfter, Clock clock) {
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
        this.blockAfterPerIp = blockAfterPerIp;
        this.blockAfterPerAccount = blockAfterPerAccount;
        this.blockFor = blockFor;
        this.forgetAfter = forgetAfter;
        this.clock = clock;
    }

    /** True when attempts from this IP or for this account are refused right now. */
    public boolean isBlocked(InetAddress ip, String account) {
        Instant now = clock.instant();
        return blocked(byIp.get(ip), now) || blocked(byAccount.get(key(account)), now);
    }

    /** Records a failure and returns how long to wait before answering it. */
    public Duration recordFailure(InetAddress ip, String account) {
        Instant now = clock.instant();
        if (byIp.size() + byAccount.size() > SWEEP_THRESHOLD) {
            sweep(now);
        }
        int ipCount = byIp.compute(ip, (k, f) -> next(f, now, blockAfterPerIp)).count();
        int accountCount = byAccount.compute(key(account), (k, f) -> next(f, now, blockAfterPerAccount)).count();
        int failures = Math.max(ipCount, accountCount);
        if (failures < 2) {
            return Duration.ZERO;
        }
        long millis = firstDelay.toMillis() << Math.min(failures - 2, 20);
        return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }

    /** A success clears the account's count and the IP's count. */
    public void recordSuccess(InetAddress ip, String account) {
        byIp.remove(ip);
        byAccount.remove(key(account));
    }

    public int failures(InetAddress ip) {
        Failures f = byIp.get(ip);
        return f == null || stale(f, clock.instant()) ? 0 : f.count();
    }

    private Failures next(Failures current, Instant now, int blockAfter) {
        int count = current == null || stale(current, now) ? 1 : current.count() + 1;
        Instant blockedUntil = count >= blockAfter ? now.plus(blockFor) : Instant.MIN;
        return new Failures(count, now, blockedUntil);
    }

    private boolean blocked(Failures f, Instant now) {
        return f != null && f.blockedUntil().isAfter(now);
    }

    private boolean stale(Failures f, Instant now) {
        return f.last().plus(forgetAfter).isBefore(now) && !f.blockedUntil().isAfter(now);
    }

    private void sweep(Instant now) {
        byIp.values().removeIf(f -> stale(f, now));
        byAccount.values().removeIf(f -> stale(f, now));
    }

    private static String key(String account) {
        return account == null ? "" : account.toLowerCase(Locale.ROOT);
    }

    private record Failures(int count, Instant last, Instant blockedUntil) {
    }
}

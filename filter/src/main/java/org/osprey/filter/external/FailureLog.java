package org.osprey.filter.external;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.osprey.core.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failures of one optional scanner: each is counted ({@code osprey_filter_external_failures_total{scanner}}),
 * but logged at most once a minute, with the number left out since, so a scanner that is down does not write one
 * warning per message.
 */
final class FailureLog {
    private static final Logger log = LoggerFactory.getLogger(FailureLog.class);
    static final Duration INTERVAL = Duration.ofMinutes(1);

    private final String scanner;
    private final LongSupplier nanoTime;
    private final AtomicLong lastLogged;
    private final AtomicLong notLogged = new AtomicLong();

    FailureLog(String scanner) {
        this(scanner, System::nanoTime);
    }

    FailureLog(String scanner, LongSupplier nanoTime) {
        this.scanner = scanner;
        this.nanoTime = nanoTime;
        this.lastLogged = new AtomicLong(nanoTime.getAsLong() - INTERVAL.toNanos());
    }

    /** Counts one failure and logs it unless one was logged less than a minute ago; true when it was logged. */
    boolean failed(String reason) {
        Metrics.count("osprey_filter_external_failures_total", "scanner", scanner);
        long now = nanoTime.getAsLong();
        long last = lastLogged.get();
        if (now - last < INTERVAL.toNanos() || !lastLogged.compareAndSet(last, now)) {
            notLogged.incrementAndGet();
            return false;
        }
        long skipped = notLogged.getAndSet(0);
        log.warn("{} scan failed, the message goes on without it: {}{}", scanner, reason,
                skipped == 0 ? "" : " (" + skipped + " more failures in the last minute not logged)");
        return true;
    }
}

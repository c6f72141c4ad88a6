package org.osprey.filter.external;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.osprey.core.metrics.Metrics;

class FailureLogTest {
    @Test
    void logsAtMostOnceAMinuteButCountsEveryFailure() {
        var now = new AtomicLong(TimeUnit.HOURS.toNanos(5));
        var failures = new FailureLog("test-scanner", now::get);
        String series = "osprey_filter_external_failures_total{scanner=\"test-scanner\"}";
        long before = Metrics.snapshot().getOrDefault(series, 0L);

        assertThat(failures.failed("down")).isTrue();
        now.addAndGet(TimeUnit.SECONDS.toNanos(30));
        assertThat(failures.failed("down")).isFalse();
        now.addAndGet(TimeUnit.SECONDS.toNanos(29));
        assertThat(failures.failed("down")).isFalse();
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(failures.failed("down")).isTrue();

        assertThat(Metrics.snapshot().get(series)).isEqualTo(before + 4);
    }
}

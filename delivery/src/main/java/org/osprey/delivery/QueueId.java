package org.osprey.delivery;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Queue ids in the spirit of Postfix's long ids: time-ordered, unique across restarts of one host, and safe as file
 * names: 10 base-36 digits of microseconds since the epoch plus 3 of a counter, upper case.
 */
public final class QueueId {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private QueueId() {
    }

    public static String next() {
        java.time.Instant now = java.time.Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        int n = Math.floorMod(COUNTER.getAndIncrement(), 36 * 36 * 36);
        String time = Long.toString(micros, 36).toUpperCase();
        String count = Integer.toString(n, 36).toUpperCase();
        return time + "0".repeat(3 - count.length()) + count;
    }

    /** True for text that can be a queue id (used to refuse path tricks in CLI arguments). */
    public static boolean isValid(String id) {
        return id != null && id.matches("[0-9A-Z]{8,20}");
    }
}

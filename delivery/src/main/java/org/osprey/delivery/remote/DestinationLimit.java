package org.osprey.delivery.remote;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * At most {@code limit} deliveries at once to one destination (a domain, or a route's host:port), as Postfix's
 * default_destination_concurrency_limit: a big receiver is not flooded with connections and does not start
 * refusing us. Idle cached sessions do not count. Counters are dropped at zero, so the map holds only destinations
 * in use. Thread safe.
 */
final class DestinationLimit {
    private final int limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private final Map<String, Integer> active = new HashMap<>();

    DestinationLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the per-destination connection limit must be at least 1: " + limit);
        }
        this.limit = limit;
    }

    void acquire(String destination) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (active.getOrDefault(destination, 0) >= limit) {
                released.await();
            }
            active.merge(destination, 1, Integer::sum);
        } finally {
            lock.unlock();
        }
    }

    void release(String destination) {
        lock.lock();
        try {
            active.computeIfPresent(destination, (d, n) -> n <= 1 ? null : n - 1);
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }
}

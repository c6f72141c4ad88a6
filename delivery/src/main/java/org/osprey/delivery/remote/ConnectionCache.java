package org.osprey.delivery.remote;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idle sessions kept for the next message to the same peer, as Postfix's connection cache: at most
 * {@code maxSize} in all, each for {@code idleTime} after its last use and never once it is
 * {@value #MAX_AGE_SECONDS} s old (Postfix's smtp_connection_reuse_time_limit). A session is taken out while it is
 * used, so only one thread ever holds it. Expired and evicted sessions get QUIT on a virtual thread. Thread safe.
 */
final class ConnectionCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionCache.class);
    static final long MAX_AGE_SECONDS = 300;

    /**
     * What a session was opened for: a session is only reused for the same peer under the same TLS policy and
     * credentials, since those decided how it was set up.
     */
    record Key(Peer peer, TlsPolicy policy, boolean implicitTls, String username) {
    }

    private record Idle(Key key, SmtpClient client, long sinceNanos) {
    }

    private final int maxSize;
    private final long idleNanos;
    private final Duration quitTimeout;
    private final Map<Key, Deque<Idle>> idle = new HashMap<>();
    // all idle sessions, oldest first, for eviction and expiry
    private final Deque<Idle> byAge = new ArrayDeque<>();
    private final ScheduledExecutorService sweeper;
    private boolean closed;

    ConnectionCache(int maxSize, Duration idleTime, Duration quitTimeout) {
        this.maxSize = maxSize;
        this.idleNanos = idleTime.toNanos();
        this.quitTimeout = quitTimeout;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "smtp-connection-cache");
            t.setDaemon(true);
            return t;
        });
        if (maxSize > 0) {
            long period = Math.max(100, idleTime.toMillis() / 2);
            sweeper.scheduleWithFixedDelay(this::expire, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** A live idle session for this key, taken out of the cache, or null. */
    SmtpClient take(Key key) {
        List<SmtpClient> stale = new ArrayList<>();
        SmtpClient found = null;
        synchronized (this) {
            Deque<Idle> sessions = idle.get(key);
            while (sessions != null && !sessions.isEmpty() && found == null) {
                // the most recently used first: it is the least likely to have been closed by the peer
                Idle entry = sessions.pollLast();
                byAge.remove(entry);
                if (usable(entry, System.nanoTime())) {
                    found = entry.client();
                } else {
                    stale.add(entry.client());
                }
            }
            if (sessions != null && sessions.isEmpty()) {
                idle.remove(key);
            }
        }
        stale.forEach(this::quitLater);
        if (found != null) {
            log.debug("reusing the connection to {}", key.peer());
        }
        return found;
    }

    synchronized boolean contains(Key key) {
        Deque<Idle> sessions = idle.get(key);
        return sessions != null && !sessions.isEmpty();
    }

    /** Keeps a session that has just finished a transaction; QUITs it when there is no room. */
    void put(Key key, SmtpClient client) {
        Idle evicted = null;
        boolean keep;
        synchronized (this) {
            keep = !closed && maxSize > 0 && !client.isClosed()
                && client.ageNanos() < TimeUnit.SECONDS.toNanos(MAX_AGE_SECONDS);
            if (keep) {
                if (byAge.size() >= maxSize) {
                    evicted = byAge.pollFirst();
                    removeFromKey(evicted);
                }
                Idle entry = new Idle(key, client, System.nanoTime());
                idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(entry);
                byAge.addLast(entry);
            }
        }
        if (!keep) {
            client.quit(quitTimeout);
        } else {
            log.debug("keeping the connection to {} for reuse", key.peer());
        }
        if (evicted != null) {
            quitLater(evicted.client());
        }
    }

    synchronized int size() {
        return byAge.size();
    }

    /** QUITs every idle session; later puts QUIT at once. */
    @Override
    public void close() {
        List<Idle> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(byAge);
            byAge.clear();
            idle.clear();
        }
        sweeper.shutdownNow();
        // in parallel: a hundred peers that do not answer QUIT would otherwise hold a shutdown for long
        List<Thread> quitting = new ArrayList<>();
        for (Idle entry : all) {
            quitting.add(Thread.ofVirtual().name("smtp-quit").start(() -> entry.client().quit(quitTimeout)));
        }
        for (Thread t : quitting) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                all.forEach(entry -> entry.client().close());
                return;
            }
        }
    }

    private void expire() {
        List<Idle> expired = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            for (Iterator<Idle> it = byAge.iterator(); it.hasNext(); ) {
                Idle entry = it.next();
                if (!usable(entry, now)) {
                    it.remove();
                    removeFromKey(entry);
                    expired.add(entry);
                }
            }
        }
        for (Idle entry : expired) {
            log.debug("closing the idle connection to {}", entry.key().peer());
            quitLater(entry.client());
        }
    }

    private boolean usable(Idle entry, long now) {
        return now - entry.sinceNanos() < idleNanos && !entry.client().isClosed()
            && entry.client().ageNanos() < TimeUnit.SECONDS.toNanos(MAX_AGE_SECONDS);
    }

    private void removeFromKey(Idle entry) {
        Deque<Idle> sessions = idle.get(entry.key());
        if (sessions != null) {
            sessions.remove(entry);
            if (sessions.isEmpty()) {
                idle.remove(entry.key());
            }
        }
    }

    private void quitLater(SmtpClient client) {
        Thread.ofVirtual().name("smtp-quit").start(() -> client.quit(quitTimeout));
    }
}

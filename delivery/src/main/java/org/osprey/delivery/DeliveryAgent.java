package org.osprey.delivery;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Works the queue: every committed message is delivered at once to each of its targets; what cannot be delivered
 * yet stays in the spool with its state and is retried on an exponential schedule. On start the whole spool is
 * picked up again, so a message that got its 250 before a crash is finished after the restart. A message is only
 * ever worked by one thread at a time.
 */
public final class DeliveryAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryAgent.class);
    /** Remote delivery arrives with the submission issue; until then such targets wait and are retried hourly. */
    static final String REMOTE_NOT_AVAILABLE = "4.4.0 remote delivery is not available in this build yet";

    private final Spool spool;
    private final LocalDelivery local;
    private final Clock clock;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final Semaphore concurrency;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "queue-timer");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public DeliveryAgent(Spool spool, LocalDelivery local, Clock clock, Duration firstRetry, Duration maxRetry,
                         int maxConcurrentDeliveries) {
        this.spool = spool;
        this.local = local;
        this.clock = clock;
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
        this.concurrency = new Semaphore(maxConcurrentDeliveries);
    }

    /** Recovers the spool: drops unacknowledged partial files and schedules every queued message. */
    public void start() throws IOException {
        int dropped = spool.clearIncoming();
        List<String> ids = spool.ids();
        if (dropped > 0 || !ids.isEmpty()) {
            log.info("spool recovered: {} queued message(s) to finish, {} unacknowledged partial file(s) removed",
                    ids.size(), dropped);
        }
        for (String id : ids) {
            Optional<DeliveryState> state = spool.state(id);
            long next = state.map(s -> s.pending().values().stream().mapToLong(DeliveryState.Attempt::nextMillis)
                    .min().orElse(0)).orElse(0L);
            schedule(id, Math.max(0, next - clock.millis()), null);
        }
    }

    /**
     * Hands over a message that was just committed to the spool: its envelope is still in memory and it has no
     * state file yet, so the first attempt reads neither from disk.
     */
    public void submit(Envelope envelope) {
        schedule(envelope.id(), 0, envelope);
    }

    /** Tries every pending message now ("queue flush"). */
    public void flush() throws IOException {
        for (String id : spool.ids()) {
            schedule(id, 0, null);
        }
    }

    /** fresh: the envelope of a message just committed, or null to read envelope and state from the spool. */
    private void schedule(String id, long delayMillis, Envelope fresh) {
        if (closed) {
            return;
        }
        if (delayMillis <= 0) {
            workers.execute(() -> work(id, fresh));
        } else {
            timer.schedule(() -> workers.execute(() -> work(id, fresh)), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void work(String id, Envelope fresh) {
        if (closed || !busy.add(id)) {
            return;
        }
        MDC.put("conn", id);
        try {
            concurrency.acquire();
            try {
                attempt(id, fresh);
            } finally {
                concurrency.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.error("{}: delivery attempt failed, retrying later", id, e);
            schedule(id, firstRetry.toMillis(), null);
        } finally {
            busy.remove(id);
            MDC.remove("conn");
        }
    }

    private void attempt(String id, Envelope fresh) throws IOException {
        Optional<Envelope> found = fresh != null ? Optional.of(fresh) : spool.envelope(id);
        if (found.isEmpty()) {
            return; // removed meanwhile (delivered, or "queue remove")
        }
        Envelope envelope = found.get();
        DeliveryState state = (fresh != null ? Optional.<DeliveryState>empty() : spool.state(id))
                .orElse(new DeliveryState(List.of(), Map.of()));
        Set<String> done = new LinkedHashSet<>(state.done());
        Map<String, DeliveryState.Attempt> pending = new HashMap<>();
        long now = clock.millis();
        for (Target target : envelope.targets()) {
            if (done.contains(target.key())) {
                continue;
            }
            DeliveryState.Attempt previous = state.pending().get(target.key());
            int attempts = previous == null ? 1 : previous.attempts() + 1;
            DeliveryResult result = target.kind() == Target.Kind.LOCAL
                    ? local.deliver(envelope, target, () -> spool.message(id, envelope))
                    : new DeliveryResult.Deferred(REMOTE_NOT_AVAILABLE);
            logResult(envelope, target, result, now);
            switch (result) {
                case DeliveryResult.Delivered d -> done.add(target.key());
                // Bounces (DSNs) go out through the outbound queue, which the submission issue adds; until then a
                // permanent failure is logged and the target given up.
                case DeliveryResult.Failed f -> done.add(target.key());
                case DeliveryResult.Deferred d -> {
                    long wait = d.reason().equals(REMOTE_NOT_AVAILABLE)
                            ? Duration.ofHours(1).toMillis() : retryDelay(attempts).toMillis();
                    pending.put(target.key(), new DeliveryState.Attempt(attempts, now + wait, d.reason()));
                }
            }
        }
        if (pending.isEmpty()) {
            spool.removeFinished(id, fresh == null);
            log.info("{}: removed", id);
            return;
        }
        spool.writeState(id, new DeliveryState(new ArrayList<>(done), pending));
        long next = pending.values().stream().mapToLong(DeliveryState.Attempt::nextMillis).min().orElseThrow();
        schedule(id, Math.max(1, next - clock.millis()), null);
    }

    private Duration retryDelay(int attempts) {
        long millis = firstRetry.toMillis() << Math.min(attempts - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxRetry.toMillis()));
    }

    private void logResult(Envelope envelope, Target target, DeliveryResult result, long now) {
        String status = switch (result) {
            case DeliveryResult.Delivered d -> "sent (" + d.detail() + ")";
            case DeliveryResult.Deferred d -> "deferred (" + d.reason() + ")";
            case DeliveryResult.Failed f -> "bounced (" + f.reason() + ")";
        };
        String orig = target.original().equalsIgnoreCase(target.address()) ? "" : ", orig_to=<" + target.original() + ">";
        double delay = (now - envelope.arrivalMillis()) / 1000.0;
        log.info("{}: to=<{}>{}, relay={}, delay={}, status={}", envelope.id(), target.address(), orig,
                target.kind() == Target.Kind.LOCAL ? "local" : "smtp", String.format("%.2f", delay), status);
    }

    /** Stops taking work and waits briefly for deliveries in progress; the spool keeps the rest. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        workers.shutdown();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

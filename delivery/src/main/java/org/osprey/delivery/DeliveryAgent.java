package org.osprey.delivery;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import org.osprey.delivery.remote.RemoteDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Works the queue: every committed message is delivered at once to each of its targets, local ones into the store
 * and remote ones over SMTP (all recipients of one domain in one transaction, the domains side by side); what
 * cannot be delivered yet stays in the spool with its state and is retried on an exponential schedule. A target
 * that fails for good, or is still pending when the message is older than the maximal lifetime, is reported to the
 * sender in one DSN bounce (never to the null sender); an optional delay warning goes out once. On start the whole
 * spool is picked up again, so a message that got its 250 before a crash is finished after the restart. A message
 * is only ever worked by one thread at a time, and a held message not at all.
 */
public final class DeliveryAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryAgent.class);
    /** Without a remote transport (tests of local delivery only), remote targets wait and are retried hourly. */
    static final String REMOTE_NOT_AVAILABLE = "4.4.0 remote delivery is not configured";

    /** The retry schedule and its ends: lifetime before a bounce, and the optional delay warning (zero: off). */
    public record Schedule(Duration firstRetry, Duration maxRetry, Duration maxLifetime, Duration delayWarning) {
    }

    private final Spool spool;
    private final LocalDelivery local;
    private final RemoteDelivery remote;
    private final Bounces bounces;
    private final Srs srs;
    private final Clock clock;
    private final Schedule schedule;
    private final Semaphore concurrency;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "queue-timer");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ScheduledFuture<?>> timers = new ConcurrentHashMap<>();
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Local delivery only: remote targets stay queued (for tests of the local path). */
    public DeliveryAgent(Spool spool, LocalDelivery local, Clock clock, Duration firstRetry, Duration maxRetry,
                         int maxConcurrentDeliveries) {
        this(spool, local, null, null, null, clock, new Schedule(firstRetry, maxRetry, Duration.ofDays(5),
                Duration.ZERO), maxConcurrentDeliveries);
    }

    /** remote and bounces may be null: remote targets then wait, failures are only logged. */
    /**
     * remote and bounces may be null: remote targets then wait, failures are only logged. srs may be null: then
     * mail forwarded by an alias to another domain keeps its sender (and may fail SPF there).
     */
    public DeliveryAgent(Spool spool, LocalDelivery local, RemoteDelivery remote, Bounces bounces, Srs srs,
                         Clock clock, Schedule schedule, int maxConcurrentDeliveries) {
        this.spool = spool;
        this.local = local;
        this.remote = remote;
        this.bounces = bounces;
        this.srs = srs;
        this.clock = clock;
        this.schedule = schedule;
        this.concurrency = new Semaphore(maxConcurrentDeliveries);
        if (bounces != null) {
            bounces.queueTo(this);
        }
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

    /** Tries one message now ("queue flush ID", "queue release ID"); false when there is no such message. */
    public boolean flush(String id) {
        if (!spool.contains(id)) {
            return false;
        }
        schedule(id, 0, null);
        return true;
    }

    /** fresh: the envelope of a message just committed, or null to read envelope and state from the spool. */
    private void schedule(String id, long delayMillis, Envelope fresh) {
        if (closed) {
            return;
        }
        ScheduledFuture<?> previous = timers.remove(id);
        if (previous != null) {
            previous.cancel(false);
        }
        if (delayMillis <= 0) {
            workers.execute(() -> work(id, fresh));
        } else {
            timers.put(id, timer.schedule(() -> {
                timers.remove(id);
                workers.execute(() -> work(id, fresh));
            }, delayMillis, TimeUnit.MILLISECONDS));
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
            schedule(id, schedule.firstRetry().toMillis(), null);
        } finally {
            busy.remove(id);
            MDC.remove("conn");
        }
    }

    private void attempt(String id, Envelope fresh) throws IOException, InterruptedException {
        if (spool.isHeld(id)) {
            log.info("{}: on hold", id);
            return;
        }
        Optional<Envelope> found = fresh != null ? Optional.of(fresh) : spool.envelope(id);
        if (found.isEmpty()) {
            return; // removed meanwhile (delivered, or "queue remove")
        }
        Envelope envelope = found.get();
        DeliveryState state = (fresh != null ? Optional.<DeliveryState>empty() : spool.state(id))
                .orElse(new DeliveryState(List.of(), Map.of()));
        Set<String> done = new LinkedHashSet<>(state.done());
        List<Target> due = envelope.targets().stream().filter(t -> !done.contains(t.key())).toList();
        LocalDelivery.MessageSource message = () -> spool.message(id, envelope);
        Map<Target, DeliveryResult> results = deliver(envelope, due, message);

        long now = clock.millis();
        boolean expired = now - envelope.arrivalMillis() >= schedule.maxLifetime().toMillis();
        Map<String, DeliveryState.Attempt> pending = new HashMap<>();
        List<Bounces.Failure> failures = new ArrayList<>();
        for (Target target : due) {
            DeliveryResult result = results.get(target);
            DeliveryState.Attempt previous = state.pending().get(target.key());
            int attempts = previous == null ? 1 : previous.attempts() + 1;
            logResult(envelope, target, result, now);
            switch (result) {
                case DeliveryResult.Delivered d -> done.add(target.key());
                case DeliveryResult.Failed f -> {
                    done.add(target.key());
                    failures.add(new Bounces.Failure(target, f.reason()));
                }
                case DeliveryResult.Deferred d when expired -> {
                    done.add(target.key());
                    log.info("{}: to=<{}>, status=expired, returned to sender (queued for {})", id,
                            target.address(), Duration.ofMillis(now - envelope.arrivalMillis()));
                    failures.add(new Bounces.Failure(target, "4.4.7 message expired in the queue; last error: "
                            + d.reason()));
                }
                case DeliveryResult.Deferred d -> {
                    long wait = d.reason().equals(REMOTE_NOT_AVAILABLE)
                            ? Duration.ofHours(1).toMillis() : retryDelay(attempts).toMillis();
                    pending.put(target.key(), new DeliveryState.Attempt(attempts, now + wait, d.reason()));
                }
            }
        }
        if (!failures.isEmpty()) {
            returnToSender(envelope, failures, false, message);
        }
        boolean warned = state.warned();
        if (!pending.isEmpty() && !warned && !schedule.delayWarning().isZero()
                && now - envelope.arrivalMillis() >= schedule.delayWarning().toMillis()) {
            List<Bounces.Failure> delayed = new ArrayList<>();
            for (Target target : due) {
                DeliveryState.Attempt attempt = pending.get(target.key());
                if (attempt != null) {
                    delayed.add(new Bounces.Failure(target, attempt.error()));
                }
            }
            returnToSender(envelope, delayed, true, message);
            warned = true;
        }
        if (pending.isEmpty()) {
            spool.removeFinished(id, fresh == null);
            log.info("{}: removed", id);
            return;
        }
        spool.writeState(id, new DeliveryState(new ArrayList<>(done), pending, warned));
        long next = pending.values().stream().mapToLong(DeliveryState.Attempt::nextMillis).min().orElseThrow();
        schedule(id, Math.max(1, next - clock.millis()), null);
    }

    /**
     * One attempt at each due target: local ones one by one, remote ones grouped by domain (one SMTP transaction
     * for all recipients there), the domains concurrently so one slow server does not hold up the others.
     */
    private Map<Target, DeliveryResult> deliver(Envelope envelope, List<Target> due,
                                                LocalDelivery.MessageSource message) throws InterruptedException {
        Map<Target, DeliveryResult> results = new HashMap<>();
        Map<String, List<Target>> byDomain = new LinkedHashMap<>();
        for (Target target : due) {
            if (target.kind() == Target.Kind.LOCAL) {
                results.put(target, local.deliver(envelope, target, message));
            } else if (remote == null) {
                results.put(target, new DeliveryResult.Deferred(REMOTE_NOT_AVAILABLE));
            } else {
                // one transaction per domain and envelope sender (forwarded copies may carry an SRS sender)
                byDomain.computeIfAbsent(domainOf(target.address()) + "\u0000" + senderFor(envelope, target),
                        d -> new ArrayList<>()).add(target);
            }
        }
        if (byDomain.isEmpty()) {
            return results;
        }
        // the message as it leaves: the header lines added at the end of DATA (DKIM-Signature first), then the spool's
        LocalDelivery.MessageSource outgoing = () -> HeaderFields.prepend(envelope.headers(), message.open());
        Map<String, Future<Map<String, DeliveryResult>>> running = new LinkedHashMap<>();
        for (var entry : byDomain.entrySet()) {
            List<String> recipients = entry.getValue().stream().map(Target::address).toList();
            String domain = entry.getKey().substring(0, entry.getKey().indexOf('\u0000'));
            String sender = entry.getKey().substring(entry.getKey().indexOf('\u0000') + 1);
            Envelope sent = sender.equals(envelope.sender()) ? envelope : withSender(envelope, sender);
            running.put(entry.getKey(), workers.submit(() -> remote.deliver(sent, domain, recipients, outgoing)));
        }
        for (var entry : byDomain.entrySet()) {
            Map<String, DeliveryResult> answers;
            try {
                answers = running.get(entry.getKey()).get();
            } catch (ExecutionException e) {
                log.error("{}: delivery to {} failed", envelope.id(), entry.getKey(), e.getCause());
                answers = Map.of();
            }
            for (Target target : entry.getValue()) {
                results.put(target, answers.getOrDefault(target.address(),
                        new DeliveryResult.Deferred("4.3.0 internal error in remote delivery")));
            }
        }
        return results;
    }

    /**
     * The envelope sender for a remote target: an alias of ours that forwards to another domain gets the sender
     * rewritten with SRS in the alias's domain (as postsrsd does for Postfix), unless the sender is already in that
     * domain; everything else keeps its sender.
     */
    private String senderFor(Envelope envelope, Target target) {
        if (srs == null || envelope.sender().isEmpty() || target.original().equalsIgnoreCase(target.address())
                || target.original().indexOf('@') < 0) {
            return envelope.sender();
        }
        String aliasDomain = domainOf(target.original());
        return domainOf(envelope.sender()).equals(aliasDomain) ? envelope.sender()
                : srs.forward(envelope.sender(), aliasDomain);
    }

    private static Envelope withSender(Envelope e, String sender) {
        return new Envelope(e.id(), e.arrivalMillis(), sender, e.recipients(), e.targets(), e.clientAddress(),
                e.helo(), e.protocol(), e.smtpUtf8(), e.body(), e.headers(), e.size(), e.removedFields());
    }

    private static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    private void returnToSender(Envelope envelope, List<Bounces.Failure> failures, boolean delayed,
                                LocalDelivery.MessageSource message) {
        if (envelope.sender().isEmpty()) {
            log.info("{}: not returned: the sender is <> (a bounce is never bounced)", envelope.id());
            return;
        }
        if (bounces == null) {
            log.warn("{}: cannot tell <{}> about {} failed recipient(s): bounces are not configured",
                    envelope.id(), envelope.sender(), failures.size());
            return;
        }
        try {
            bounces.send(envelope, failures, delayed, message);
        } catch (IOException | RuntimeException e) {
            log.error("{}: could not queue the {} to <{}>", envelope.id(), delayed ? "delay warning" : "bounce",
                    envelope.sender(), e);
        }
    }

    private Duration retryDelay(int attempts) {
        long millis = schedule.firstRetry().toMillis() << Math.min(attempts - 1, 20);
        return Duration.ofMillis(Math.min(millis, schedule.maxRetry().toMillis()));
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
        if (remote != null) {
            remote.close();
        }
    }
}

package org.osprey.delivery.remote;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osprey.core.address.AddressException;
import org.osprey.delivery.DeliveryResult;
import org.osprey.delivery.Envelope;
import org.osprey.delivery.LocalDelivery.MessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a message to the recipients of one domain, as Postfix's smtp(8) does. The hosts come from the route table
 * or the domain's MX records; they are tried in order, moving on when one cannot be reached, times out, fails TLS
 * or answers 4xx to the greeting, EHLO or MAIL, up to {@link RemoteSettings#mxAddressLimit()} addresses and
 * {@link RemoteSettings#mxSessionLimit()} sessions. The recipients go over one connection, in one transaction
 * (RFC 5321 §3.3) or, past {@link RemoteSettings#recipientLimit()}, in several; a recipient that got its own 4xx
 * or 5xx keeps it and is not offered to the next host.
 *
 * <p>A session is kept {@link RemoteSettings#connectionCacheTime()} for the next message to the same peer, which
 * is then sent after RSET without a new connection, TLS handshake or EHLO. At most
 * {@link RemoteSettings#destinationConcurrency()} deliveries run at once per destination; more wait.
 *
 * <p>Thread safe: meant to be called by many virtual threads at once. The message is streamed from the spool,
 * opened once per attempt (twice when it must be converted to 7 bits), and never held in memory.
 */
public final class RemoteDelivery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RemoteDelivery.class);

    private final RemoteSettings settings;
    private final MxResolver resolver;
    private final DomainTable<TlsPolicy> tlsPolicies;
    private final SessionSetup setup;
    private final ConnectionCache cache;
    private final DestinationLimit limit;

    public RemoteDelivery(RemoteSettings settings, MxResolver resolver) {
        this.settings = settings;
        this.resolver = resolver;
        this.tlsPolicies = DomainTable.of(settings.tlsPolicies(), "TLS policy");
        this.setup = new SessionSetup(settings.heloName(), settings.timeouts(), settings.tls());
        this.cache = new ConnectionCache(settings.connectionCacheSize(), settings.connectionCacheTime(),
            settings.timeouts().quit());
        this.limit = new DestinationLimit(settings.destinationConcurrency());
    }

    /**
     * Delivers to the recipients of {@code domain} over one connection.
     *
     * @param domain     the recipients' domain (either IDN form, or an address literal "[192.0.2.1]")
     * @param recipients addresses in that domain, as in the envelope's targets
     * @param message    the message bytes (CRLF), sent as they are: headers to add (DKIM-Signature, Received)
     *                   must already be in them
     * @return a result for each distinct recipient, in the order given; reasons start with an RFC 3463 code
     */
    public Map<String, DeliveryResult> deliver(Envelope envelope, String domain, List<String> recipients,
                                               MessageSource message) {
        Map<String, DeliveryResult> results = new LinkedHashMap<>();
        List<Recipient> pending = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String given : recipients) {
            if (!seen.add(given)) {
                continue;
            }
            try {
                pending.add(Recipient.of(given));
            } catch (AddressException e) {
                results.put(given, new DeliveryResult.Failed("5.1.3 bad recipient address syntax: "
                    + Reply.clean(given) + " (" + e.getMessage() + ")"));
            }
        }
        if (!pending.isEmpty()) {
            attempt(envelope, domain, pending, message, results);
        }
        Map<String, DeliveryResult> ordered = new LinkedHashMap<>();
        for (String given : recipients) {
            ordered.putIfAbsent(given, results.get(given));
        }
        return ordered;
    }

    private void attempt(Envelope envelope, String domain, List<Recipient> recipients, MessageSource message,
                         Map<String, DeliveryResult> results) {
        Optional<Route> route = settings.routes().find(domain);
        MxResolver.Resolution resolution = route.isPresent()
            ? resolver.resolveHost(route.get().host(), route.get().port())
            : resolver.resolveMx(domain, settings.mxPort());
        if (resolution instanceof MxResolver.Resolution.Failure failure) {
            DeliveryResult result = failure.permanent() ? new DeliveryResult.Failed(failure.reason())
                : new DeliveryResult.Deferred(failure.reason());
            recipients.forEach(r -> results.put(r.given(), result));
            return;
        }
        List<Peer> peers = ((MxResolver.Resolution.Found) resolution).peers();
        String destination = route.map(Route::destination).orElseGet(() -> destinationName(domain));
        TlsPolicy policy = tlsPolicies.find(domain)
            .or(() -> route.flatMap(r -> tlsPolicies.find(r.host())))
            .orElse(settings.defaultTlsPolicy());
        try {
            limit.acquire(destination);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            recipients.forEach(r -> results.put(r.given(), new DeliveryResult.Deferred(
                "4.3.0 delivery interrupted (shutting down)")));
            return;
        }
        try {
            Left left = send(envelope, peers, policy, route.orElse(null), recipients, message, results);
            if (!left.recipients().isEmpty()) {
                DeliveryResult deferred = new DeliveryResult.Deferred(left.reason() != null ? left.reason()
                    : "4.4.1 no host of " + destination + " could be reached");
                left.recipients().forEach(r -> results.put(r.given(), deferred));
            }
        } finally {
            limit.release(destination);
        }
    }

    /** The domain as lower-case A-label, so both IDN forms of it share one concurrency limit. */
    private static String destinationName(String domain) {
        try {
            return DomainTable.normalize(domain, "domain");
        } catch (IllegalArgumentException e) {
            return domain.toLowerCase(Locale.ROOT);
        }
    }

    /** Recipients no peer took, and the reason the last peer was given up on. */
    private record Left(List<Recipient> recipients, String reason) {
    }

    /** Tries the peers in order, filling {@code results}; returns the recipients still without one. */
    private Left send(Envelope envelope, List<Peer> peers, TlsPolicy policy, Route route,
                      List<Recipient> recipients, MessageSource message, Map<String, DeliveryResult> results) {
        String username = route == null || route.credentials() == null ? null : route.credentials().username();
        boolean implicitTls = route != null && route.implicitTls();
        List<Peer> candidates = new ArrayList<>(peers.subList(0, Math.min(peers.size(),
            settings.mxAddressLimit())));
        // a peer with a session waiting in the cache goes first: no connect, no handshake, no EHLO
        for (int i = 0; i < candidates.size(); i++) {
            if (cache.contains(new ConnectionCache.Key(candidates.get(i), policy, implicitTls, username))) {
                candidates.addFirst(candidates.remove(i));
                break;
            }
        }
        List<Recipient> pending = recipients;
        String lastReason = null;
        int sessions = 0;
        for (Peer peer : candidates) {
            if (pending.isEmpty() || sessions >= settings.mxSessionLimit()) {
                break;
            }
            ConnectionCache.Key key = new ConnectionCache.Key(peer, policy, implicitTls, username);
            SmtpClient client = reused(key);
            if (client == null) {
                try {
                    client = setup.open(peer, policy, route);
                } catch (PeerException e) {
                    log.debug("{}: {}", peer, e.reason());
                    if (e.greeted()) {
                        sessions++;
                    }
                    if (!e.tryNext()) {
                        DeliveryResult result = e.result();
                        pending.forEach(r -> results.put(r.given(), result));
                        return new Left(List.of(), null);
                    }
                    lastReason = e.reason();
                    continue;
                }
            }
            sessions++;
            // RFC 5321 §4.5.3.1.8: a server need take only 100 recipients per transaction; more go in further
            // transactions on this connection, RSET between them
            List<Recipient> carry = new ArrayList<>();
            boolean healthy = true; // the session is in step and may be cached
            boolean stay = true; // further batches go to this peer
            int limit = settings.recipientLimit();
            for (int from = 0; from < pending.size(); from += limit) {
                List<Recipient> batch = pending.subList(from, Math.min(pending.size(), from + limit));
                if (stay && from > 0) {
                    String broken = reset(client);
                    if (broken != null) {
                        healthy = stay = false;
                        lastReason = broken;
                    }
                }
                if (!stay) {
                    carry.addAll(batch);
                    continue;
                }
                Transaction.Outcome outcome = Transaction.run(client, settings.timeouts(), envelope, batch,
                    message);
                results.putAll(outcome.results());
                carry.addAll(outcome.retry());
                healthy = outcome.reusable() && !client.isClosed();
                // a reason to go elsewhere (4xx to MAIL, a broken connection) holds for the next batch too
                stay = healthy && outcome.retryReason() == null;
                if (outcome.retryReason() != null) {
                    lastReason = outcome.retryReason();
                }
            }
            if (healthy) {
                cache.put(key, client);
            } else {
                client.close();
            }
            pending = carry;
        }
        return new Left(pending, lastReason);
    }

    /** A cached session that still answers RSET (RFC 5321 §4.1.1.5), or null. */
    private SmtpClient reused(ConnectionCache.Key key) {
        for (SmtpClient client = cache.take(key); client != null; client = cache.take(key)) {
            if (reset(client) == null) {
                return client;
            }
            // the peer closed it while it was idle: the usual fate of a cached session
            log.debug("cached connection to {} is no longer usable", key.peer());
            client.close();
        }
        return null;
    }

    /** RSET; null when the session is ready for MAIL, else why not. */
    private String reset(SmtpClient client) {
        try {
            Reply reply = client.command("RSET", settings.timeouts().rset());
            return reply.positive() ? null : Reasons.said(client.peer(), reply, "RSET");
        } catch (IOException e) {
            return Reasons.broken(client.peer(), e, "sending RSET");
        }
    }

    /** QUITs the idle sessions. Deliveries still running finish; their sessions are then closed too. */
    @Override
    public void close() {
        cache.close();
    }
}

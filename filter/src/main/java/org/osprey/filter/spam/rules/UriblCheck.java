package org.osprey.filter.spam.rules;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osprey.filter.Findings;
import org.osprey.filter.InboundChecks;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.Verdict;
import org.osprey.filter.dnsbl.DnsblZone;
import org.osprey.filter.greylist.Cidr;
import org.osprey.filter.mail.ParsedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * URI block lists (Spamhaus DBL, SURBL, URIBL style): the registered domains of the message's links are looked up
 * as {@code domain.zone} in each configured zone ({@code [filter.dnsbl] uri_zones}, written like the client zones:
 * {@code zone} or {@code zone=127.0.1.2}; weights are not used here), and a listing adds URIBL_HIT for the score.
 * A DATA stage check that never refuses. Answers outside 127.0.0.0/8, 127.0.0.1 (the lists' "query refused") and
 * 127.255.255.0/24 (Spamhaus's errors) are not listings; lookups that fail or miss the time budget find nothing.
 * Answers are cached for five minutes.
 */
public final class UriblCheck implements InboundChecks {
    private static final Logger log = LoggerFactory.getLogger(UriblCheck.class);

    public static final Map<String, Double> SCORES = Map.of("URIBL_HIT", 2.0);
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(3);
    /** Domains looked up per message: spam names its few domains many times, a long tail only costs queries. */
    static final int MAX_DOMAINS = 20;
    private static final long MAX_PARSE = 2L * 1024 * 1024;

    private final List<DnsblZone> zones;
    private final Resolver resolver;
    private final Duration budget;
    private final List<Cidr> trusted;
    private final Cache<String, Boolean> listed = Caffeine.newBuilder()
        .expireAfterWrite(Duration.ofMinutes(5)).maximumSize(100_000).build();
    private final ExecutorService lookups = Executors.newVirtualThreadPerTaskExecutor();

    /** @throws IllegalArgumentException a zone entry is malformed (the message says which) */
    public UriblCheck(List<String> zones, Resolver resolver, Duration budget, List<Cidr> trusted) {
        this.zones = zones.stream().map(DnsblZone::parse).toList();
        this.resolver = resolver;
        this.budget = budget;
        this.trusted = List.copyOf(trusted);
    }

    @Override
    public Verdict data(SmtpFacts facts, String sender, List<String> recipients, MessageAccess message,
                        Findings findings) {
        InetAddress client = facts.client();
        if (zones.isEmpty() || facts.authenticatedUser().isPresent()
            || (client != null && trusted.stream().anyMatch(n -> n.contains(client)))) {
            return Verdict.ACCEPT;
        }
        Set<String> domains;
        try (InputStream in = message.open()) {
            domains = domains(ParsedMessage.parse(in, MAX_PARSE));
        } catch (IOException | RuntimeException e) {
            log.warn("URIBL: message not readable, not checked: {}", e.toString());
            return Verdict.ACCEPT;
        }
        check(domains).ifPresent(hit -> findings.add("URIBL_HIT", hit));
        return Verdict.ACCEPT;
    }

    /** The registered domains of the message's web links (not IP addresses), the first {@link #MAX_DOMAINS}. */
    static Set<String> domains(ParsedMessage message) {
        Set<String> domains = new LinkedHashSet<>();
        for (ParsedMessage.Link link : message.links()) {
            Optional<String> host = Domains.host(link.href());
            if (host.isPresent() && !Domains.isIpLiteral(host.get()) && host.get().indexOf('.') > 0) {
                domains.add(Domains.registered(host.get()));
                if (domains.size() == MAX_DOMAINS) {
                    break;
                }
            }
        }
        return domains;
    }

    /** "domain in zone" for the first listed domain (in link order, zones in configured order). */
    Optional<String> check(Set<String> domains) {
        Map<String, Future<Boolean>> pending = new LinkedHashMap<>();
        for (String domain : domains) {
            for (DnsblZone zone : zones) {
                String query = domain + "." + zone.name();
                if (!pending.containsKey(query)) {
                    Boolean cached = listed.getIfPresent(query);
                    pending.put(query, cached != null ? CompletableFuture.completedFuture(cached)
                        : lookups.submit(() -> lookUp(query, zone)));
                }
            }
        }
        long deadline = System.nanoTime() + budget.toNanos();
        List<String> hits = new ArrayList<>();
        for (var entry : pending.entrySet()) {
            try {
                boolean hit = entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                listed.put(entry.getKey(), hit);
                if (hit) {
                    hits.add(entry.getKey());
                }
            } catch (TimeoutException e) {
                entry.getValue().cancel(true);
                log.info("URIBL lookup {} timed out", entry.getKey());
            } catch (ExecutionException e) {
                log.info("URIBL lookup {} failed: {}", entry.getKey(), e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.values().forEach(f -> f.cancel(true));
                break;
            }
        }
        if (hits.isEmpty()) {
            return Optional.empty();
        }
        String first = hits.getFirst();
        String zone = zones.stream().map(DnsblZone::name).filter(z -> first.endsWith("." + z)).findFirst().orElse("");
        return Optional.of(first.substring(0, first.length() - zone.length() - 1) + " in " + zone);
    }

    /** True when listed; a failure throws, so that it is neither a listing nor cached. */
    private boolean lookUp(String query, DnsblZone zone) throws IOException {
        Name name;
        try {
            name = Name.fromString(query + ".");
        } catch (TextParseException e) {
            return false; // a label too long for DNS cannot be listed
        }
        Message response = resolver.send(Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)));
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return false;
        }
        if (rcode != Rcode.NOERROR) {
            throw new IOException(Rcode.string(rcode));
        }
        for (Record record : response.getSection(Section.ANSWER)) {
            if (record instanceof ARecord a && listing(zone, a.getAddress())) {
                return true;
            }
        }
        return false;
    }

    private static boolean listing(DnsblZone zone, InetAddress answer) {
        byte[] b = answer.getAddress();
        boolean loopbackNet = (b[0] & 0xff) == 127;
        boolean refused = (b[1] == 0 && b[2] == 0 && b[3] == 1) || ((b[1] & 0xff) == 255 && (b[2] & 0xff) == 255);
        return loopbackNet && !refused && zone.expected().map(answer::equals).orElse(true);
    }
}

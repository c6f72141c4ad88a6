package org.osprey.filter.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * TXT lookups for the records that sender authentication reads (DKIM keys, DMARC policies): each record's
 * character-strings joined into one text (RFC 6376 §3.6.2.2, RFC 7489 §6.1), "no such record" told apart from a
 * DNS failure, since only the latter is a temporary error. Answers (not failures) may be remembered, since the same
 * few domains send most mail and the resolver Osprey talks to need not cache: records for their TTL, "no such
 * record" for the negative TTL of the zone's SOA (RFC 2308 §5; without an SOA it is not remembered). Never throws;
 * thread-safe.
 */
public final class TxtLookup {
    private final Resolver resolver;
    private final Cache<String, Timed> cache;

    /** An answer and how long it may be remembered. */
    private record Timed(Answer answer, Duration ttl) {
    }

    public TxtLookup(Resolver resolver) {
        this(resolver, null);
    }

    private TxtLookup(Resolver resolver, Cache<String, Timed> cache) {
        this.resolver = resolver;
        this.cache = cache;
    }

    /** Asks one configured server ("ip[:port]"), or the system's when empty; each query waits at most timeout. */
    public static TxtLookup of(Optional<String> server, Duration timeout) {
        return new TxtLookup(Resolvers.of(server, timeout));
    }

    /**
     * The same lookups, remembering up to {@code names} answers, each for its TTL but at most {@code keep} (a
     * changed key or policy is seen at most that late whatever its TTL says).
     */
    public TxtLookup remembering(Duration keep, long names) {
        long maxNanos = keep.toNanos();
        return new TxtLookup(resolver, Caffeine.newBuilder().maximumSize(names).expireAfter(new Expiry<String, Timed>() {
            @Override
            public long expireAfterCreate(String key, Timed value, long currentTime) {
                return Math.min(maxNanos, value.ttl().toNanos());
            }

            @Override
            public long expireAfterUpdate(String key, Timed value, long currentTime, long currentDuration) {
                return expireAfterCreate(key, value, currentTime);
            }

            @Override
            public long expireAfterRead(String key, Timed value, long currentTime, long currentDuration) {
                return currentDuration;
            }
        }).build());
    }

    /** The answer to one lookup. */
    public sealed interface Answer {
        /** The TXT records of the name, each one text. */
        record Found(List<String> texts) implements Answer {
        }

        /** NXDOMAIN, or the name has no TXT record. */
        record NotFound() implements Answer {
        }

        /** The DNS could not answer (timeout, SERVFAIL, ...): try again later. */
        record Failed(String reason) implements Answer {
        }
    }

    public Answer lookup(String host) {
        if (cache == null) {
            return ask(host).answer();
        }
        String key = host.toLowerCase(Locale.ROOT);
        Timed known = cache.getIfPresent(key);
        if (known != null) {
            return known.answer();
        }
        Timed answer = ask(host);
        if (!(answer.answer() instanceof Answer.Failed) && answer.ttl().isPositive()) {
            cache.put(key, answer);
        }
        return answer.answer();
    }

    private static Timed never(Answer answer) {
        return new Timed(answer, Duration.ZERO);
    }

    private Timed ask(String host) {
        Name name;
        try {
            name = Name.fromString(host, Name.root);
        } catch (TextParseException e) {
            return never(new Answer.NotFound()); // a name that cannot be in the DNS has no records
        }
        Message response;
        try {
            response = resolver.send(Message.newQuery(Record.newRecord(name, Type.TXT, DClass.IN)));
        } catch (IOException e) {
            return never(new Answer.Failed("DNS TXT lookup of " + host + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return new Timed(new Answer.NotFound(), negativeTtl(response));
        }
        if (rcode != Rcode.NOERROR) {
            return never(new Answer.Failed("DNS TXT lookup of " + host + ": " + Rcode.string(rcode)));
        }
        List<String> texts = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof TXTRecord txt) {
                texts.add(String.join("", txt.getStrings()));
                ttl = Math.min(ttl, r.getTTL());
            }
        }
        if (texts.isEmpty()) {
            return new Timed(new Answer.NotFound(), negativeTtl(response));
        }
        return new Timed(new Answer.Found(texts), Duration.ofSeconds(ttl));
    }

    /** RFC 2308 §5: the lesser of the SOA record's own TTL and its MINIMUM field; none without an SOA. */
    private static Duration negativeTtl(Message response) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                return Duration.ofSeconds(Math.min(soa.getTTL(), soa.getMinimum()));
            }
        }
        return Duration.ZERO;
    }
}

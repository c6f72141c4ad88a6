package org.osprey.filter.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * TXT lookups for the records that sender authentication reads (DKIM keys, DMARC policies): each record's
 * character-strings joined into one text (RFC 6376 §3.6.2.2, RFC 7489 §6.1), "no such record" told apart from a
 * DNS failure, since only the latter is a temporary error. Answers (not failures) may be remembered for a while,
 * since the same few domains send most mail and the resolver Osprey talks to need not cache. Never throws;
 * thread-safe.
 */
public final class TxtLookup {
    private final Resolver resolver;
    private final Cache<String, Answer> cache;

    public TxtLookup(Resolver resolver) {
        this(resolver, null);
    }

    private TxtLookup(Resolver resolver, Cache<String, Answer> cache) {
        this.resolver = resolver;
        this.cache = cache;
    }

    /** Asks one configured server ("ip[:port]"), or the system's when empty; each query waits at most timeout. */
    public static TxtLookup of(Optional<String> server, Duration timeout) {
        return new TxtLookup(Resolvers.of(server, timeout));
    }

    /**
     * The same lookups, remembering up to {@code names} answers for {@code keep} each (not the records' TTLs: a
     * changed key or policy is seen at most that late).
     */
    public TxtLookup remembering(Duration keep, long names) {
        return new TxtLookup(resolver, Caffeine.newBuilder().expireAfterWrite(keep).maximumSize(names).build());
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
            return ask(host);
        }
        String key = host.toLowerCase(Locale.ROOT);
        Answer known = cache.getIfPresent(key);
        if (known != null) {
            return known;
        }
        Answer answer = ask(host);
        if (!(answer instanceof Answer.Failed)) {
            cache.put(key, answer);
        }
        return answer;
    }

    private Answer ask(String host) {
        Name name;
        try {
            name = Name.fromString(host, Name.root);
        } catch (TextParseException e) {
            return new Answer.NotFound(); // a name that cannot be in the DNS has no records
        }
        Message response;
        try {
            response = resolver.send(Message.newQuery(Record.newRecord(name, Type.TXT, DClass.IN)));
        } catch (IOException e) {
            return new Answer.Failed("DNS TXT lookup of " + host + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return new Answer.NotFound();
        }
        if (rcode != Rcode.NOERROR) {
            return new Answer.Failed("DNS TXT lookup of " + host + ": " + Rcode.string(rcode));
        }
        List<String> texts = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof TXTRecord txt) {
                texts.add(String.join("", txt.getStrings()));
            }
        }
        return texts.isEmpty() ? new Answer.NotFound() : new Answer.Found(texts);
    }
}

package org.osprey.filter.dnsbl;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osprey.filter.InboundChecks;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.osprey.filter.dns.IpText;
import org.osprey.filter.dns.Resolvers;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * DNS blocklist check of the SMTP client's address (RFC 5782), at connect or at each RCPT, refusing like Postfix's
 * reject_rbl_client: {@code 554 5.7.1 Service unavailable; client [192.0.2.1] blocked using zone; <TXT>}.
 *
 * <p>Every zone is asked at once, each on its own virtual thread, and whatever has not answered when the timeout
 * runs out counts as "not listed": a DNS failure, a timeout, a SERVFAIL or an answer outside 127.0.0.0/8 never
 * rejects mail (fail open, logged). An answer in 127.255.255.0/24 is the list refusing the query (Spamhaus: public
 * resolver, over quota), logged and not a listing. The weights of the listing zones are summed and the client is
 * refused once the sum reaches the threshold; the reply names the first listing zone in configured order.
 * Authenticated clients and whitelisted networks are never looked up. Answers are cached for
 * {@link #CACHE_FOR}, failures not at all.
 */
public final class Dnsbl implements InboundChecks {
    private static final Logger log = LoggerFactory.getLogger(Dnsbl.class);

    /** How long a lookup's answer (listed or not) is reused; lists update within minutes, a mail burst is shorter. */
    public static final Duration CACHE_FOR = Duration.ofMinutes(5);

    private static final int MAX_REASON = 200;

    /** When the check runs: at connect (the greeting is a 554) or at each RCPT (Postfix's reject_rbl_client). */
    public enum Stage { CONNECT, RCPT }

    /**
     * What {@code [filter.dnsbl]} configures.
     *
     * @param zones      zone entries as {@link DnsblZone#parse} reads them; empty disables the check
     * @param resolver   one DNS server "ip", "ip:port" or "[ipv6]:port"; empty uses the system's resolvers
     * @param timeout    how long one check waits for all zones together
     * @param whitelist  networks never looked up ("10.0.0.0/8", "::1")
     * @param threshold  the sum of the listing zones' weights that refuses the client
     * @param stage      connect or RCPT
     * @param replyCode  5xx refuses for good (5.7.1), 4xx for now (4.7.1, for trying a list out)
     * @param replyText  the reply text; {client}, {zone} and {reason} ("; " and the zone's TXT, or nothing) are
     *                   replaced
     */
    public record Settings(List<String> zones, Optional<String> resolver, Duration timeout, List<String> whitelist,
                           int threshold, Stage stage, int replyCode, String replyText) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
        /** Loopback, RFC 1918, shared (RFC 6598), link-local and unique-local networks. */
        public static final List<String> DEFAULT_WHITELIST = List.of("127.0.0.0/8", "::1/128", "10.0.0.0/8",
            "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16", "fc00::/7", "fe80::/10");
        public static final String DEFAULT_REPLY_TEXT =
            "Service unavailable; client [{client}] blocked using {zone}{reason}";

        public Settings {
            zones = List.copyOf(zones);
            whitelist = List.copyOf(whitelist);
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            if (replyCode < 400 || replyCode > 599) {
                throw new IllegalArgumentException("reply code " + replyCode + " is not a 4xx or 5xx SMTP code");
            }
        }

        /** No zones (nothing is asked: an offline machine has no blocklist to reach), the defaults for the rest. */
        public static Settings defaults() {
            return new Settings(List.of(), Optional.empty(), DEFAULT_TIMEOUT, DEFAULT_WHITELIST, 1, Stage.CONNECT, 554,
                DEFAULT_REPLY_TEXT);
        }

        public Settings withZones(String... entries) {
            return new Settings(List.of(entries), resolver, timeout, whitelist, threshold, stage, replyCode, replyText);
        }

        public Settings withResolver(String server) {
            return new Settings(zones, Optional.of(server), timeout, whitelist, threshold, stage, replyCode, replyText);
        }

        public Settings withTimeout(Duration wait) {
            return new Settings(zones, resolver, wait, whitelist, threshold, stage, replyCode, replyText);
        }

        public Settings withWhitelist(String... networks) {
            return new Settings(zones, resolver, timeout, List.of(networks), threshold, stage, replyCode, replyText);
        }

        public Settings withThreshold(int sum) {
            return new Settings(zones, resolver, timeout, whitelist, sum, stage, replyCode, replyText);
        }

        public Settings withStage(Stage at) {
            return new Settings(zones, resolver, timeout, whitelist, threshold, at, replyCode, replyText);
        }

        public Settings withReply(int code, String text) {
            return new Settings(zones, resolver, timeout, whitelist, threshold, stage, code, text);
        }
    }

    /** What one lookup of one query name found. */
    private sealed interface Answer {
        record Listed(List<InetAddress> addresses, String reason) implements Answer {
        }

        record NotListed() implements Answer {
        }

        record Failed(String why) implements Answer {
        }
    }

    private static final Answer NOT_LISTED = new Answer.NotListed();

    private final Settings settings;
    private final List<DnsblZone> zones;
    private final List<Cidr> whitelist;
    private final Resolver resolver;
    private final Cache<String, Answer> cache;
    private final ExecutorService lookups = Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name("dnsbl-", 0).factory());

    /** @throws IllegalArgumentException a zone, network or resolver address is malformed (the message says which) */
    public Dnsbl(Settings settings) {
        this.settings = settings;
        this.zones = settings.zones().stream().map(DnsblZone::parse).toList();
        this.whitelist = settings.whitelist().stream().map(Cidr::parse).toList();
        this.resolver = zones.isEmpty() ? null : resolver(settings.resolver(), settings.timeout());
        this.cache = Caffeine.newBuilder().expireAfterWrite(CACHE_FOR).maximumSize(100_000).build();
    }

    public List<DnsblZone> zones() {
        return zones;
    }

    @Override
    public Verdict connect(SmtpFacts facts) {
        return settings.stage() == Stage.CONNECT ? check(facts) : Verdict.ACCEPT;
    }

    @Override
    public Verdict rcpt(SmtpFacts facts, String sender, String recipient) {
        return settings.stage() == Stage.RCPT ? check(facts) : Verdict.ACCEPT;
    }

    /** Looks the client up in every zone and refuses it when the listing zones' weights reach the threshold. */
    public Verdict check(SmtpFacts facts) {
        InetAddress client = facts.client();
        if (zones.isEmpty() || facts.authenticatedUser().isPresent()
            || whitelist.stream().anyMatch(n -> n.contains(client))) {
            return Verdict.ACCEPT;
        }
        Map<String, Answer> answers = lookUp(client);
        int sum = 0;
        DnsblZone first = null;
        String reason = "";
        for (DnsblZone zone : zones) {
            Answer answer = answers.get(queryName(client, zone.name()));
            if (!(answer instanceof Answer.Listed listed) || !lists(zone, listed, client)) {
                continue;
            }
            sum += zone.weight();
            if (first == null && zone.weight() > 0) {
                first = zone;
                reason = listed.reason();
            }
        }
        if (first == null || sum < settings.threshold()) {
            return Verdict.ACCEPT;
        }
        String text = settings.replyText()
            .replace("{client}", show(client))
            .replace("{zone}", first.name())
            .replace("{reason}", reason.isEmpty() ? "" : "; " + reason);
        log.info("DNSBL: client [{}] refused, listed in {} (score {}){}", show(client), first.name(), sum,
            reason.isEmpty() ? "" : ": " + reason);
        return settings.replyCode() >= 500
            ? new Verdict.Reject(settings.replyCode(), "5.7.1", text)
            : new Verdict.TempFail(settings.replyCode(), "4.7.1", text);
    }

    /** Whether a zone's A answers list the client; refusals and answers outside 127/8 are logged, never listings. */
    private static boolean lists(DnsblZone zone, Answer.Listed listed, InetAddress client) {
        boolean lists = false;
        for (InetAddress a : listed.addresses()) {
            byte[] b = a.getAddress();
            if ((b[0] & 0xff) != 127) {
                // RFC 5782 §2.1: listings are in 127.0.0.0/8; anything else is a wildcard or a hijacking resolver
                log.warn("DNSBL {}: answer {} for [{}] is outside 127.0.0.0/8, ignored", zone.name(),
                    a.getHostAddress(), show(client));
            } else if ((b[1] & 0xff) == 255 && (b[2] & 0xff) == 255) {
                // Spamhaus's 127.255.255.252/254/255: typo in the zone, query through a public resolver, over quota
                log.warn("DNSBL {}: the list refused the query for [{}] (answer {}), not a listing", zone.name(),
                    show(client), a.getHostAddress());
                return false;
            } else if (zone.lists(a)) {
                lists = true;
            }
        }
        return lists;
    }

    /** Every zone's answer keyed by query name; zones that failed or did not answer in time are missing. */
    private Map<String, Answer> lookUp(InetAddress client) {
        Map<String, Answer> answers = new LinkedHashMap<>();
        Map<String, Future<Answer>> pending = new LinkedHashMap<>();
        for (DnsblZone zone : zones) {
            String query = queryName(client, zone.name());
            if (answers.containsKey(query) || pending.containsKey(query)) {
                continue;
            }
            Answer cached = cache.getIfPresent(query);
            if (cached != null) {
                answers.put(query, cached);
            } else {
                pending.put(query, lookups.submit(() -> query(query)));
            }
        }
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        for (var entry : pending.entrySet()) {
            String query = entry.getKey();
            try {
                Answer answer = entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (answer instanceof Answer.Failed failed) {
                    log.warn("DNSBL lookup {} failed ({}), client [{}] not refused for it", query, failed.why(),
                        show(client));
                } else {
                    cache.put(query, answer);
                    answers.put(query, answer);
                }
            } catch (TimeoutException e) {
                entry.getValue().cancel(true);
                log.warn("DNSBL lookup {} timed out after {} ms, client [{}] not refused for it", query,
                    settings.timeout().toMillis(), show(client));
            } catch (ExecutionException e) {
                log.warn("DNSBL lookup {} failed ({}), client [{}] not refused for it", query, e.getCause().toString(),
                    show(client));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.values().forEach(f -> f.cancel(true));
                break;
            }
        }
        return answers;
    }

    /** One A lookup and, when listed, the TXT reason (whose failure only loses the reason). */
    private Answer query(String query) {
        Name name;
        try {
            name = Name.fromString(query);
        } catch (TextParseException e) {
            return new Answer.Failed(e.getMessage());
        }
        Message response;
        try {
            response = resolver.send(Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)));
        } catch (IOException e) {
            return new Answer.Failed(e.toString());
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return NOT_LISTED;
        }
        if (rcode != Rcode.NOERROR) {
            return new Answer.Failed(Rcode.string(rcode));
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof ARecord a) {
                addresses.add(a.getAddress());
            }
        }
        if (addresses.isEmpty()) {
            return NOT_LISTED;
        }
        return new Answer.Listed(List.copyOf(addresses), reason(name));
    }

    private String reason(Name name) {
        try {
            Message response = resolver.send(Message.newQuery(Record.newRecord(name, Type.TXT, DClass.IN)));
            for (Record r : response.getSection(Section.ANSWER)) {
                if (r instanceof TXTRecord txt) {
                    // the raw bytes: getStrings() would escape them into text like \013
                    var text = new StringBuilder();
                    for (byte[] part : txt.getStringsAsByteArrays()) {
                        text.append(new String(part, StandardCharsets.ISO_8859_1));
                    }
                    return printable(text.toString());
                }
            }
        } catch (IOException e) {
            log.debug("DNSBL TXT lookup {} failed: {}", name, e.toString());
        }
        return "";
    }

    /** The TXT text goes into a reply line: printable ASCII only, never a CR or LF, and not too long. */
    private static String printable(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < MAX_REASON; i++) {
            char c = text.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString().strip();
    }

    /** RFC 5782 §2.1 (IPv4: octets reversed) and §2.4 (IPv6: 32 nibbles reversed), with the zone, absolute. */
    static String queryName(InetAddress client, String zone) {
        byte[] b = client.getAddress();
        StringBuilder q = new StringBuilder();
        for (int i = b.length - 1; i >= 0; i--) {
            if (client instanceof Inet4Address) {
                q.append(b[i] & 0xff).append('.');
            } else {
                q.append(Character.forDigit(b[i] & 0xf, 16)).append('.')
                    .append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.');
            }
        }
        return q.append(zone).append('.').toString();
    }

    /** The address as a reply shows it: IPv4 dotted, IPv6 in the RFC 5952 short form. */
    static String show(InetAddress address) {
        return IpText.of(address);
    }

    private static Resolver resolver(Optional<String> server, Duration timeout) {
        return Resolvers.of(server, timeout);
    }

    @Override
    public String toString() {
        return "Dnsbl" + zones;
    }
}

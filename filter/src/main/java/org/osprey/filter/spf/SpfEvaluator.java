package org.osprey.filter.spf;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.osprey.filter.dns.Resolvers;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * SPF verification, RFC 7208 check_host() (§4). {@link #check} never throws: DNS trouble is "temperror", a broken
 * record "permerror". One check may use at most ten DNS-querying terms (include, a, mx, ptr, exists, redirect),
 * ten address lookups per mx, ten names per ptr and two void lookups (§4.6.4); each DNS query waits at most the
 * configured timeout. Thread-safe: every check has its own counters.
 */
public final class SpfEvaluator {
    static final int MAX_DNS_TERMS = 10;
    static final int MAX_VOID_LOOKUPS = 2;
    static final int MAX_NAMES = 10;

    private final Resolver resolver;
    private final String receiver;
    private final Clock clock;

    /**
     * @param dnsServer "ip", "ip:port" or "[ipv6]:port" of one DNS server; empty uses the system's resolvers
     * @param timeout   how long one DNS query may take
     * @param receiver  this host's name, for the %{r} macro and the Received-SPF field
     */
    public SpfEvaluator(Optional<String> dnsServer, Duration timeout, String receiver) {
        this(dnsServer, timeout, receiver, Clock.systemUTC());
    }

    SpfEvaluator(Optional<String> dnsServer, Duration timeout, String receiver, Clock clock) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("SPF DNS timeout must be positive");
        }
        this.resolver = Resolvers.of(dnsServer, timeout);
        this.receiver = receiver;
        this.clock = clock;
    }

    public String receiver() {
        return receiver;
    }

    /**
     * Checks the MAIL FROM identity, or "postmaster@helo" when MAIL FROM is empty (§2.4).
     *
     * @param mailFrom the reverse-path without angle brackets; "" or "<>" for the null sender
     */
    public SpfResult check(InetAddress client, String mailFrom, String helo) {
        InetAddress ip = unmapped(client);
        String from = mailFrom == null ? "" : mailFrom.strip();
        if (from.startsWith("<") && from.endsWith(">")) {
            from = from.substring(1, from.length() - 1);
        }
        String heloName = helo == null ? "" : helo.strip();
        String identity = from.isEmpty() ? "helo" : "mailfrom";
        String sender = from.isEmpty() ? "postmaster@" + heloName : from;
        int at = sender.lastIndexOf('@');
        String local = at <= 0 ? "postmaster" : sender.substring(0, at);
        String domain = stripDot(at < 0 ? sender : sender.substring(at + 1));
        if (at < 0) {
            sender = "postmaster@" + sender;
        }
        var evaluation = new Evaluation(new SpfMacro.Context(sender, local, domain, ip, heloName, receiver,
            clock.instant().getEpochSecond(), null));
        Outcome outcome;
        if (!validDomain(domain)) {
            // §4.3: a malformed domain, or a bare IP literal as HELO, gives "none"
            outcome = new Outcome(SpfResult.Code.NONE, "\"" + domain + "\" is not a domain name", null);
        } else {
            try {
                outcome = evaluation.checkHost(domain, true);
            } catch (SpfException e) {
                outcome = new Outcome(e.code(), e.getMessage(), null);
            }
        }
        return new SpfResult(outcome.code(), outcome.explanation(), ip, sender, identity, heloName,
            Optional.ofNullable(outcome.mechanism()));
    }

    private record Outcome(SpfResult.Code code, String explanation, String mechanism) {
    }

    /** One check_host() run with its limits and its macro context. */
    private final class Evaluation {
        private final SpfMacro.Context context;
        private int dnsTerms;
        private int voidLookups;

        Evaluation(SpfMacro.Context base) {
            this.context = new SpfMacro.Context(base.sender(), base.localPart(), base.senderDomain(),
                base.client(), base.helo(), base.receiver(), base.timestamp(), this::validatedName);
        }

        /** @param explain whether this record's exp= may be used (not inside an include, §6.2) */
        Outcome checkHost(String domain, boolean explain) throws SpfException {
            Optional<String> txt = fetchRecord(domain);
            if (txt.isEmpty()) {
                throw new SpfException(SpfResult.Code.NONE, "no SPF record at " + domain); // callers decide
            }
            return evaluate(domain, SpfRecord.parse(txt.get()), explain);
        }

        private Outcome evaluate(String domain, SpfRecord record, boolean explain) throws SpfException {
            for (SpfRecord.Mechanism m : record.mechanisms()) {
                if (m.queriesDns()) {
                    countTerm(m.text());
                }
                if (matches(m, domain)) {
                    String text = m.qualifier() == SpfResult.Code.FAIL
                        ? explanation(record, domain, explain)
                        : describe(m.qualifier(), domain);
                    return new Outcome(m.qualifier(), text, m.text());
                }
            }
            if (record.redirect().isPresent()) {
                countTerm("redirect=" + record.redirect().get());
                String target = stripDot(SpfMacro.domain(record.redirect().get(), context, domain));
                if (!validDomain(target)) {
                    throw SpfException.perm("redirect to a bad domain \"" + target + "\"");
                }
                try {
                    return checkHost(target, explain); // §6.1: the target's exp= applies, not ours
                } catch (SpfException e) {
                    throw e.code() != SpfResult.Code.NONE ? e
                        : SpfException.perm("redirect to " + target + ", which has no SPF record");
                }
            }
            return new Outcome(SpfResult.Code.NEUTRAL, "no mechanism matched in " + domain, "default");
        }

        private void countTerm(String term) throws SpfException {
            if (++dnsTerms > MAX_DNS_TERMS) {
                throw SpfException.perm("more than " + MAX_DNS_TERMS + " DNS-querying terms (at " + term + ")");
            }
        }

        private boolean matches(SpfRecord.Mechanism m, String domain) throws SpfException {
            InetAddress client = context.client();
            return switch (m.kind()) {
                case ALL -> true;
                case IP4, IP6 -> inNetwork(client, m.network(), m.prefix4());
                case A -> {
                    List<InetAddress> addresses = addresses(target(m, domain), true);
                    yield addresses.stream().anyMatch(a -> inNetwork(client, a, prefix(m, client)));
                }
                case MX -> {
                    List<Record> mx = lookup(target(m, domain), Type.MX, true);
                    if (mx.size() > MAX_NAMES) {
                        throw SpfException.perm("more than " + MAX_NAMES + " MX records for " + domain);
                    }
                    for (Record r : mx) {
                        Name host = ((MXRecord) r).getTarget();
                        if (host.equals(Name.root)) {
                            continue; // RFC 7505 null MX
                        }
                        for (InetAddress a : addresses(host.toString(true), false)) {
                            if (inNetwork(client, a, prefix(m, client))) {
                                yield true;
                            }
                        }
                    }
                    yield false;
                }
                case PTR -> {
                    String target = target(m, domain).toLowerCase(Locale.ROOT);
                    yield validatedNames().stream().anyMatch(n -> n.equals(target) || n.endsWith("." + target));
                }
                case EXISTS -> !addresses(SpfMacro.domain(m.domain().orElseThrow(), context, domain), true, true)
                    .isEmpty();
                case INCLUDE -> {
                    String target = stripDot(SpfMacro.domain(m.domain().orElseThrow(), context, domain));
                    Outcome inner;
                    try {
                        inner = checkHost(target, false);
                    } catch (SpfException e) {
                        throw e.code() != SpfResult.Code.NONE ? e
                            : SpfException.perm("include:" + target + " has no SPF record");
                    }
                    yield switch (inner.code()) {
                        case PASS -> true;
                        case FAIL, SOFTFAIL, NEUTRAL -> false;
                        case TEMPERROR -> throw SpfException.temp(inner.explanation());
                        case PERMERROR, NONE -> throw SpfException.perm("include:" + target + ": "
                            + inner.explanation());
                    };
                }
            };
        }

        private String target(SpfRecord.Mechanism m, String domain) throws SpfException {
            return m.domain().isEmpty() ? domain : stripDot(SpfMacro.domain(m.domain().get(), context, domain));
        }

        /** §6.2: the exp= text of the domain whose record failed, or a plain sentence when there is none. */
        private String explanation(SpfRecord record, String domain, boolean explain) {
            String plain = describe(SpfResult.Code.FAIL, domain);
            if (!explain || record.exp().isEmpty()) {
                return plain;
            }
            try {
                String target = stripDot(SpfMacro.domain(record.exp().get(), context, domain));
                List<Record> txt = query(target, Type.TXT);
                if (txt.size() != 1) {
                    return plain;
                }
                String text = String.join("", ((TXTRecord) txt.getFirst()).getStrings());
                return SpfMacro.expand(text, context, domain, true);
            } catch (SpfException e) {
                return plain; // §6.2: any trouble with exp= leaves the default explanation
            }
        }

        private String describe(SpfResult.Code code, String domain) {
            String who = "domain " + domain;
            String ip = SpfMacro.readable(context.client());
            return switch (code) {
                case PASS -> who + " designates " + ip + " as permitted sender";
                case FAIL -> who + " does not designate " + ip + " as permitted sender";
                case SOFTFAIL -> who + " does not designate " + ip + " as permitted sender (softfail)";
                default -> who + " neither permits nor denies " + ip;
            };
        }

        /** The selected SPF record of a domain (§4.5), empty when it has none. */
        private Optional<String> fetchRecord(String domain) throws SpfException {
            List<String> spf = new ArrayList<>();
            for (Record r : query(domain, Type.TXT)) {
                String text = String.join("", ((TXTRecord) r).getStrings());
                if (SpfRecord.isSpf(text)) {
                    spf.add(text);
                }
            }
            if (spf.size() > 1) {
                throw SpfException.perm(domain + " has " + spf.size() + " SPF records");
            }
            return spf.isEmpty() ? Optional.empty() : Optional.of(spf.getFirst());
        }

        private List<InetAddress> addresses(String host, boolean countVoid) throws SpfException {
            return addresses(host, countVoid, false);
        }

        /** A or AAAA records matching the client's family; exists always asks for A (§5.7). */
        private List<InetAddress> addresses(String host, boolean countVoid, boolean alwaysA) throws SpfException {
            int type = alwaysA || context.client() instanceof Inet4Address ? Type.A : Type.AAAA;
            List<InetAddress> out = new ArrayList<>();
            for (Record r : lookup(host, type, countVoid)) {
                out.add(r instanceof ARecord a ? a.getAddress() : ((AAAARecord) r).getAddress());
            }
            return out;
        }

        private List<Record> lookup(String host, int type, boolean countVoid) throws SpfException {
            List<Record> records = query(host, type);
            if (countVoid && records.isEmpty() && ++voidLookups > MAX_VOID_LOOKUPS) {
                throw SpfException.perm("more than " + MAX_VOID_LOOKUPS + " void DNS lookups (at " + host + ")");
            }
            return records;
        }

        private List<String> validatedCache;

        /**
         * §5.5: the client's PTR names (at most ten) whose A/AAAA records lead back to the client. DNS errors on the
         * forward lookups just drop that name; an error on the PTR query itself means no names.
         */
        private List<String> validatedNames() throws SpfException {
            if (validatedCache != null) {
                return validatedCache;
            }
            List<String> names = new ArrayList<>();
            List<Record> ptr = lookup(ReverseMap.fromAddress(context.client()).toString(), Type.PTR, true);
            for (Record r : ptr.subList(0, Math.min(ptr.size(), MAX_NAMES))) {
                String name = stripDot(((PTRRecord) r).getTarget().toString()).toLowerCase(Locale.ROOT);
                try {
                    if (addresses(name, false).stream().anyMatch(a -> a.equals(context.client()))) {
                        names.add(name);
                    }
                } catch (SpfException e) {
                    // a name we cannot confirm is not validated
                }
            }
            validatedCache = List.copyOf(names);
            return validatedCache;
        }

        /** The %{p} value (§7.3): a validated name equal to or under the domain, else any, else "unknown". */
        private String validatedName(String domain) {
            try {
                List<String> names = validatedNames();
                String d = domain.toLowerCase(Locale.ROOT);
                return names.stream().filter(n -> n.equals(d)).findFirst()
                    .or(() -> names.stream().filter(n -> n.endsWith("." + d)).findFirst())
                    .or(() -> names.stream().findFirst())
                    .orElse("unknown");
            } catch (SpfException e) {
                return "unknown";
            }
        }
    }

    /** One DNS query: NXDOMAIN and NODATA are an empty list, anything else that fails is a temperror (§2.6.6). */
    private List<Record> query(String host, int type) throws SpfException {
        Name name;
        try {
            name = Name.fromString(host, Name.root);
        } catch (TextParseException e) {
            return List.of(); // a name that cannot exist in DNS has no records
        }
        Message response;
        try {
            response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        } catch (IOException e) {
            throw SpfException.temp("DNS " + Type.string(type) + " lookup of " + host + " failed: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return List.of();
        }
        if (rcode != Rcode.NOERROR) {
            throw SpfException.temp("DNS " + Type.string(type) + " lookup of " + host + ": " + Rcode.string(rcode));
        }
        return response.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
    }

    /** §4.3: a fully qualified name of labels 1..63 long, not an address literal. */
    static boolean validDomain(String domain) {
        if (domain.isEmpty() || domain.length() > 253 || !domain.contains(".")) {
            return false;
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return false;
            }
        }
        return !domain.matches("[0-9.]+") && !domain.startsWith("[");
    }

    private static String stripDot(String domain) {
        return domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    }

    private static int prefix(SpfRecord.Mechanism m, InetAddress client) {
        return client instanceof Inet4Address ? m.prefix4() : m.prefix6();
    }

    /** Whether the client lies in network/prefix; different address families never match. */
    static boolean inNetwork(InetAddress client, InetAddress network, int prefix) {
        byte[] a = client.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (n[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** An IPv4-mapped IPv6 client (::ffff:192.0.2.1) is checked as the IPv4 address it is (§5). */
    static InetAddress unmapped(InetAddress client) {
        byte[] b = client.getAddress();
        if (client instanceof Inet6Address && b.length == 16) {
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return client;
    }

    
}

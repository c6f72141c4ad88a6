package org.osprey.delivery.remote;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.osprey.core.address.AddressException;
import org.osprey.core.address.DomainName;
import org.osprey.filter.dns.Resolvers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Finds the hosts to try for a domain, in order (RFC 5321 §5.1): its MX records by preference, equal preferences
 * in random order, each host with its A and AAAA addresses; without MX records the domain's own addresses; a null
 * MX (RFC 7505) or a domain that does not exist is a permanent failure, a DNS server failure or timeout a temporary
 * one. Asks the system's resolvers (/etc/resolv.conf) or one given server; /etc/hosts is not read, as Postfix's
 * smtp does not. Answers are cached by their TTLs in a cache of this resolver's own. Thread safe.
 */
public final class MxResolver {
    private static final Logger log = LoggerFactory.getLogger(MxResolver.class);

    /** Which address families are used and which first (Postfix's inet_protocols + smtp_address_preference). */
    public enum AddressOrder { IPV4_FIRST, IPV6_FIRST, IPV4_ONLY, IPV6_ONLY }

    /** What a lookup gave: the peers to try in order, or why there are none. */
    public sealed interface Resolution {
        record Found(List<Peer> peers) implements Resolution {
            public Found {
                peers = List.copyOf(peers);
            }
        }

        /** @param reason starts with the enhanced status code, as every delivery reason does */
        record Failure(boolean permanent, String reason) implements Resolution {
        }
    }

    private record Mx(Name host, int preference) {
    }

    private record Answer(int result, List<Record> records, String error) {
        boolean temporary() {
            return result == Lookup.TRY_AGAIN || result == Lookup.UNRECOVERABLE;
        }
    }

    private record Addresses(List<InetAddress> addresses, String temporaryError) {
    }

    private final Resolver resolver;
    private final AddressOrder order;
    private final Cache cache = new Cache(DClass.IN);

    public MxResolver(Resolver resolver, AddressOrder order) {
        this.resolver = resolver;
        this.order = order;
    }

    /** The system's resolvers from /etc/resolv.conf, each query given up after {@code timeout}. */
    public static MxResolver system(Duration timeout, AddressOrder order) {
        return new MxResolver(Resolvers.of(Optional.empty(), timeout), order);
    }

    /**
     * One DNS server, written "192.0.2.53", "192.0.2.53:5353" or "[2001:db8::53]:53". Answers truncated over UDP
     * are asked again over TCP.
     *
     * @throws IllegalArgumentException the address is not an IP address with an optional port
     */
    public static MxResolver using(String server, Duration timeout, AddressOrder order) {
        return new MxResolver(Resolvers.server(server, timeout), order);
    }

    /** The peers for mail to {@code domain} (a name in either IDN form, or an address literal "[192.0.2.1]"). */
    public Resolution resolveMx(String domain, int port) {
        if (domain.startsWith("[")) {
            return literal(domain, port);
        }
        Name name;
        try {
            name = absolute(DomainName.toAscii(domain));
        } catch (AddressException | TextParseException e) {
            return new Resolution.Failure(true, "5.1.2 bad destination domain " + Reply.clean(domain) + ": "
                + e.getMessage());
        }
        Answer mx = query(name, Type.MX);
        String shown = show(name);
        switch (mx.result()) {
            case Lookup.SUCCESSFUL -> {
                List<Mx> hosts = new ArrayList<>();
                boolean nullMx = false;
                for (Record r : mx.records()) {
                    if (r instanceof MXRecord m) {
                        if (m.getTarget().equals(Name.root)) {
                            nullMx = true; // RFC 7505 §3: "." is no host; with others beside it, it is ignored
                        } else {
                            hosts.add(new Mx(m.getTarget(), m.getPriority()));
                        }
                    }
                }
                if (hosts.isEmpty() && nullMx) {
                    return new Resolution.Failure(true, "5.1.10 domain " + shown
                        + " does not accept mail (null MX)");
                }
                if (hosts.isEmpty()) {
                    return new Resolution.Failure(false, "4.4.3 the MX lookup for " + shown + " gave no hosts");
                }
                return peers(shown, hosts, port);
            }
            case Lookup.TYPE_NOT_FOUND -> {
                // RFC 5321 §5.1: no MX records, so the domain itself is the host, as if it had MX 0
                return peers(shown, List.of(new Mx(name, 0)), port);
            }
            case Lookup.HOST_NOT_FOUND -> {
                return new Resolution.Failure(true, "5.1.2 domain " + shown + " does not exist (DNS: NXDOMAIN)");
            }
            default -> {
                return new Resolution.Failure(false, "4.4.3 DNS lookup of " + shown + " MX failed: " + mx.error());
            }
        }
    }

    /**
     * The peers for a route's host: its addresses, or itself when it is an IP address. Always temporary when it
     * fails, since a route is configuration and mail should wait for it to be fixed rather than bounce.
     */
    public Resolution resolveHost(String host, int port) {
        if (Route.isIpLiteral(host)) {
            return new Resolution.Found(List.of(new Peer(host, InetAddress.ofLiteral(host), port)));
        }
        Name name;
        try {
            name = absolute(DomainName.toAscii(host));
        } catch (AddressException | TextParseException e) {
            return new Resolution.Failure(false, "4.4.3 bad host name " + Reply.clean(host) + ": " + e.getMessage());
        }
        Addresses found = addresses(name);
        if (found.addresses().isEmpty()) {
            String why = found.temporaryError() != null ? found.temporaryError() : "no address record";
            return new Resolution.Failure(false, "4.4.3 cannot find the address of " + show(name) + ": " + why);
        }
        List<Peer> peers = new ArrayList<>();
        for (InetAddress address : found.addresses()) {
            peers.add(new Peer(show(name), address, port));
        }
        return new Resolution.Found(peers);
    }

    private Resolution literal(String domain, int port) {
        String inside = domain.endsWith("]") ? domain.substring(1, domain.length() - 1) : "";
        if (inside.regionMatches(true, 0, "IPv6:", 0, 5)) {
            inside = inside.substring(5);
        } else if (inside.indexOf(':') >= 0) {
            inside = ""; // RFC 5321 §4.1.3: an IPv6 literal carries the "IPv6:" tag
        }
        if (!Route.isIpLiteral(inside)) {
            return new Resolution.Failure(true, "5.1.2 bad address literal " + Reply.clean(domain));
        }
        return new Resolution.Found(List.of(new Peer(inside, InetAddress.ofLiteral(inside), port)));
    }

    private Resolution peers(String domain, List<Mx> hosts, int port) {
        List<Mx> ordered = new ArrayList<>(hosts);
        ordered.sort(Comparator.comparingInt(Mx::preference));
        // RFC 5321 §5.1: hosts of equal preference are tried in random order, to spread the load
        for (int start = 0; start < ordered.size(); ) {
            int end = start;
            while (end < ordered.size() && ordered.get(end).preference() == ordered.get(start).preference()) {
                end++;
            }
            Collections.shuffle(ordered.subList(start, end), ThreadLocalRandom.current());
            start = end;
        }
        List<Peer> peers = new ArrayList<>();
        List<String> temporary = new ArrayList<>();
        for (Mx mx : ordered) {
            Addresses found = addresses(mx.host());
            if (found.temporaryError() != null) {
                temporary.add(show(mx.host()) + ": " + found.temporaryError());
            }
            for (InetAddress address : found.addresses()) {
                peers.add(new Peer(show(mx.host()), address, port));
            }
        }
        log.debug("mail hosts of {}: {}", domain, peers);
        if (!peers.isEmpty()) {
            return new Resolution.Found(peers);
        }
        if (!temporary.isEmpty()) {
            return new Resolution.Failure(false, "4.4.3 DNS lookup of the mail hosts of " + domain + " failed: "
                + String.join("; ", temporary));
        }
        return new Resolution.Failure(true, "5.4.4 no mail host of " + domain + " has an address");
    }

    private Addresses addresses(Name host) {
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        String temporary = null;
        if (order != AddressOrder.IPV6_ONLY) {
            Answer a = query(host, Type.A);
            a.records().stream().filter(ARecord.class::isInstance).map(r -> ((ARecord) r).getAddress())
                .forEach(v4::add);
            temporary = a.temporary() ? "A lookup failed: " + a.error() : null;
        }
        if (order != AddressOrder.IPV4_ONLY) {
            Answer aaaa = query(host, Type.AAAA);
            aaaa.records().stream().filter(AAAARecord.class::isInstance).map(r -> ((AAAARecord) r).getAddress())
                .forEach(v6::add);
            if (aaaa.temporary()) {
                temporary = (temporary == null ? "" : temporary + ", ") + "AAAA lookup failed: " + aaaa.error();
            }
        }
        List<InetAddress> all = new ArrayList<>();
        boolean v6First = order == AddressOrder.IPV6_FIRST;
        all.addAll(v6First ? v6 : v4);
        all.addAll(v6First ? v4 : v6);
        return new Addresses(all, temporary);
    }

    private Answer query(Name name, int type) {
        Lookup lookup = new Lookup(name, type);
        lookup.setResolver(resolver);
        lookup.setCache(cache);
        lookup.setHostsFileParser(null);
        Record[] records = lookup.run();
        Answer answer = new Answer(lookup.getResult(), records == null ? List.of() : List.of(records),
            lookup.getErrorString());
        if (log.isDebugEnabled()) {
            log.debug("DNS {} {}: {} {}", show(name), Type.string(type), answer.error(), answer.records().size());
        }
        return answer;
    }

    private static Name absolute(String ascii) throws TextParseException {
        return Name.fromString(ascii, Name.root);
    }

    private static String show(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }
}

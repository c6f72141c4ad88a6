package org.osprey.filter.spam.rules;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.osprey.filter.greylist.Cidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The SMTP client's names, for the spam score (a DATA stage check that adds findings, never refuses): its reverse
 * DNS (none, or a name whose address records do not lead back to the client: forward-confirmed rDNS, as mail
 * servers are expected to have; or a generic dial-up style name), and its HELO name (an address without brackets,
 * an address literal that is not the client's, our own name, localhost, a name without a dot, a generic name).
 * DNS has a time budget; a lookup that fails or times out finds nothing (a broken resolver must not mark
 * everybody). Logged-in users, the local machine and trusted networks are not checked.
 */
public final class ClientChecks implements InboundChecks {
    private static final Logger log = LoggerFactory.getLogger(ClientChecks.class);

    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(3);
    /** The names this check adds, with their default scores. */
    public static final Map<String, Double> SCORES = Map.of(
        "RDNS_NONE", 1.0, "RDNS_NOT_CONFIRMED", 0.5, "RDNS_DYNAMIC", 0.8,
        "HELO_BARE_IP", 1.0, "HELO_IP_MISMATCH", 0.8, "HELO_OURS", 2.5, "HELO_LOCALHOST", 1.0,
        "HELO_NO_DOT", 0.5, "HELO_DYNAMIC", 0.8);
    private static final int MAX_NAMES = 5;

    private final Resolver resolver;
    private final Duration budget;
    private final List<Cidr> trusted;
    private final String hostname;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param resolver the DNS resolver (see {@link org.osprey.filter.dns.Resolvers})
     * @param budget   how long the DNS part may take in all
     * @param trusted  networks never checked
     * @param hostname our own host name, which no other server may give as its HELO
     */
    public ClientChecks(Resolver resolver, Duration budget, List<Cidr> trusted, String hostname) {
        this.resolver = resolver;
        this.budget = budget;
        this.trusted = List.copyOf(trusted);
        this.hostname = hostname == null ? "" : hostname.toLowerCase(Locale.ROOT);
    }

    @Override
    public Verdict data(SmtpFacts facts, String sender, List<String> recipients, MessageAccess message,
                        Findings findings) {
        InetAddress client = facts.client();
        if (client == null || client.isLoopbackAddress() || facts.authenticatedUser().isPresent()
            || trusted.stream().anyMatch(n -> n.contains(client))) {
            return Verdict.ACCEPT;
        }
        try {
            helo(facts.helo().orElse("").strip(), client, findings);
        } catch (RuntimeException e) {
            log.warn("HELO check failed for {}: {}", client.getHostAddress(), e.toString());
        }
        // Found on the side and added only when in time: a late answer must not change a score already given.
        Future<Findings> lookups = executor.submit(() -> reverse(client));
        try {
            lookups.get(budget.toMillis(), TimeUnit.MILLISECONDS).all()
                .forEach(f -> findings.add(f.test(), f.detail()));
        } catch (TimeoutException e) {
            lookups.cancel(true);
            log.info("reverse DNS of {} took longer than {} ms, not scored", client.getHostAddress(),
                budget.toMillis());
        } catch (ExecutionException e) {
            log.warn("reverse DNS check failed for {}: {}", client.getHostAddress(), e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Verdict.ACCEPT;
    }

    void helo(String helo, InetAddress client, Findings findings) {
        if (helo.isEmpty()) {
            return;
        }
        String name = helo.toLowerCase(Locale.ROOT);
        boolean bracketed = name.startsWith("[") && name.endsWith("]");
        String literal = bracketed ? name.substring(1, name.length() - 1).replaceFirst("^ipv6:", "") : name;
        InetAddress address = address(literal);
        if (address != null) {
            if (!bracketed) {
                findings.add("HELO_BARE_IP", "HELO " + helo + " without brackets");
            }
            if (!address.equals(client) && !local(address)) {
                findings.add("HELO_IP_MISMATCH", "HELO " + helo + " from " + client.getHostAddress());
            }
            return;
        }
        String bare = name.replaceAll("\\.+$", "");
        if (!hostname.isEmpty() && bare.equals(hostname)) {
            findings.add("HELO_OURS", "HELO with our own name " + helo);
        } else if (bare.equals("localhost") || bare.startsWith("localhost.")) {
            findings.add("HELO_LOCALHOST", "HELO " + helo);
        } else if (bare.indexOf('.') < 0) {
            findings.add("HELO_NO_DOT", "HELO " + helo);
        } else if (DynamicNames.looksDynamic(bare, client)) {
            findings.add("HELO_DYNAMIC", "HELO " + helo);
        }
    }

    private Findings reverse(InetAddress client) throws IOException {
        Findings findings = new Findings();
        Message answer = resolver.send(query(ReverseMap.fromAddress(client), Type.PTR));
        int rcode = answer.getRcode();
        List<Name> names = new ArrayList<>();
        for (Record record : answer.getSection(Section.ANSWER)) {
            if (record instanceof PTRRecord ptr && names.size() < MAX_NAMES) {
                names.add(ptr.getTarget());
            }
        }
        if (names.isEmpty()) {
            if (rcode == Rcode.NXDOMAIN || rcode == Rcode.NOERROR) {
                findings.add("RDNS_NONE", "no PTR for " + client.getHostAddress());
            }
            return findings;
        }
        int type = client instanceof Inet4Address ? Type.A : Type.AAAA;
        for (Name name : names) {
            Message forward = resolver.send(query(name, type));
            for (Record record : forward.getSection(Section.ANSWER)) {
                InetAddress address = record instanceof ARecord a ? a.getAddress()
                    : record instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
                if (client.equals(address)) {
                    String confirmed = name.toString(true);
                    if (DynamicNames.looksDynamic(confirmed, client)) {
                        findings.add("RDNS_DYNAMIC", confirmed);
                    }
                    return findings;
                }
            }
        }
        findings.add("RDNS_NOT_CONFIRMED", names.getFirst().toString(true) + " does not resolve to "
            + client.getHostAddress());
        return findings;
    }

    private static Message query(Name name, int type) {
        return Message.newQuery(Record.newRecord(name, type, DClass.IN));
    }

    private static InetAddress address(String text) {
        if (!text.matches("[0-9.]+") && !(text.contains(":") && text.matches("[0-9a-f:.]+"))) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Private, loopback and link-local addresses: behind NAT a server may well name its inside address. */
    private static boolean local(InetAddress address) {
        return address.isSiteLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
            || (address.getAddress().length == 16 && (address.getAddress()[0] & 0xfe) == 0xfc);
    }
}

package org.osprey.filter.external;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
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
 * The SMTP client's verified host name, as Postfix's {@code client_name}: a name from the PTR records of its
 * address whose A or AAAA records lead back to that address. Empty when there is none, or DNS fails or is too slow
 * (rspamd then counts the client as having no reverse DNS, as it would for Postfix's "unknown").
 */
public final class ClientName {
    /** As RFC 7208 §4.6.4 bounds the PTR names an SPF check follows. */
    private static final int MAX_NAMES = 10;

    private final Resolver resolver;
    private final Duration budget;

    /** @param budget time for all the lookups of one client together */
    public ClientName(Resolver resolver, Duration budget) {
        this.resolver = resolver;
        this.budget = budget;
    }

    public Optional<String> of(InetAddress client) {
        long deadline = System.nanoTime() + budget.toNanos();
        List<Record> names = query(ReverseMap.fromAddress(client), Type.PTR);
        for (Record record : names.subList(0, Math.min(names.size(), MAX_NAMES))) {
            if (System.nanoTime() > deadline) {
                break;
            }
            Name name = ((PTRRecord) record).getTarget();
            List<Record> addresses = query(name, client.getAddress().length == 4 ? Type.A : Type.AAAA);
            boolean confirmed = addresses.stream().anyMatch(a -> client.equals(switch (a) {
                case ARecord v4 -> v4.getAddress();
                case AAAARecord v6 -> v6.getAddress();
                default -> null;
            }));
            if (confirmed) {
                String text = name.toString(true).toLowerCase(Locale.ROOT);
                return text.isEmpty() ? Optional.empty() : Optional.of(text);
            }
        }
        return Optional.empty();
    }

    /** The answer records of the asked type; any failure (timeout, SERVFAIL, NXDOMAIN) is none. */
    private List<Record> query(Name name, int type) {
        try {
            Message response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
            if (response.getRcode() != Rcode.NOERROR) {
                return List.of();
            }
            return response.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}

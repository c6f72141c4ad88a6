package org.osprey.filter.dnsbl;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * One configured DNS blocklist, written as in Postfix's postscreen_dnsbl_sites: {@code zen.spamhaus.org},
 * {@code bl.example.test=127.0.0.2} (only that answer counts as listed) and an optional weight,
 * {@code zen.spamhaus.org*3} or {@code list.dnswl.org=127.0.10.0*-5} (a negative weight is an allow list).
 */
public record DnsblZone(String name, Optional<InetAddress> expected, int weight) {

    public DnsblZone {
        if (name.isEmpty() || !name.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw new IllegalArgumentException("DNSBL zone \"" + name + "\" is not a DNS name");
        }
        expected.ifPresent(e -> {
            if (!(e instanceof Inet4Address) || (e.getAddress()[0] & 0xff) != 127) {
                throw new IllegalArgumentException("DNSBL zone " + name + ": the expected answer " + e.getHostAddress()
                    + " is not in 127.0.0.0/8 (RFC 5782 §2.1)");
            }
        });
    }

    /**
     * Parses {@code zone[=127.x.y.z][*weight]}.
     *
     * @throws IllegalArgumentException with what is wrong, for the config error
     */
    public static DnsblZone parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        int weight = 1;
        int star = s.lastIndexOf('*');
        if (star >= 0) {
            String w = s.substring(star + 1);
            if (!w.matches("[+-]?[0-9]{1,6}")) {
                throw new IllegalArgumentException("DNSBL zone \"" + text
                    + "\": the weight after * must be an integer");
            }
            weight = Integer.parseInt(w);
            s = s.substring(0, star);
        }
        Optional<InetAddress> expected = Optional.empty();
        int eq = s.indexOf('=');
        if (eq >= 0) {
            String answer = s.substring(eq + 1);
            if (!answer.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
                throw new IllegalArgumentException("DNSBL zone \"" + text + "\": the answer after = must be an IPv4"
                    + " address such as 127.0.0.2");
            }
            try {
                expected = Optional.of(InetAddress.ofLiteral(answer));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("DNSBL zone \"" + text + "\": " + answer
                    + " is not an IPv4 address");
            }
            s = s.substring(0, eq);
        }
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        return new DnsblZone(s, expected, weight);
    }

    /** Whether an A answer of this zone means "listed": in 127.0.0.0/8 and, if configured, the expected one. */
    boolean lists(InetAddress answer) {
        return expected.map(answer::equals).orElse(true);
    }

    @Override
    public String toString() {
        return name + expected.map(e -> "=" + e.getHostAddress()).orElse("") + (weight == 1 ? "" : "*" + weight);
    }
}

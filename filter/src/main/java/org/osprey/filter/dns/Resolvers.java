package org.osprey.filter.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/**
 * The DNS resolver every lookup of Osprey uses (MX, DNSBL, SPF): one configured server, written "192.0.2.53",
 * "192.0.2.53:5353" or "[2001:db8::53]:53", or the system's resolvers from /etc/resolv.conf; each query given up
 * after the timeout.
 */
public final class Resolvers {
    private Resolvers() {
    }

    /** The configured server, or the system's when {@code server} is empty or blank. */
    public static Resolver of(Optional<String> server, Duration timeout) {
        if (server.isEmpty() || server.get().isBlank()) {
            ExtendedResolver system = new ExtendedResolver();
            system.setTimeout(timeout);
            return system;
        }
        return server(server.get(), timeout);
    }

    /**
     * One DNS server.
     *
     * @throws IllegalArgumentException the text is not an IP address with an optional port
     */
    public static Resolver server(String server, Duration timeout) {
        String s = server == null ? "" : server.strip();
        String host = s;
        String port = "53";
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            host = close < 0 ? "" : s.substring(1, close);
            String rest = close < 0 ? "" : s.substring(close + 1);
            port = rest.isEmpty() ? port : rest.startsWith(":") ? rest.substring(1) : "";
        } else if (s.chars().filter(c -> c == ':').count() == 1) {
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        }
        InetAddress address;
        try {
            address = host.matches("[0-9a-fA-F:.]+") ? InetAddress.ofLiteral(host) : null;
        } catch (IllegalArgumentException e) {
            address = null;
        }
        int number = port.matches("[0-9]{1,5}") ? Integer.parseInt(port) : 0;
        if (address == null || number < 1 || number > 65535) {
            throw new IllegalArgumentException("DNS server \"" + server + "\": give an IP address and an"
                + " optional port, as 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:53");
        }
        SimpleResolver simple = new SimpleResolver(new InetSocketAddress(address, number));
        simple.setTimeout(timeout);
        return simple;
    }
}

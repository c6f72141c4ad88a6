package org.osprey.delivery.remote;

import java.net.InetAddress;
import java.util.Objects;
import org.osprey.core.address.AddressException;
import org.osprey.core.address.DomainName;

/**
 * Where mail for some domains goes instead of their MX hosts: a smart host, an ISP relay, a test sink. The host is
 * looked up for its addresses only (never for MX records), whether or not it is written in Postfix's brackets.
 *
 * @param host        a host name (A-label) or an IP address
 * @param implicitTls TLS from the first byte (port 465, RFC 8314 §3.3) instead of STARTTLS
 * @param credentials for AUTH at the relay, or null; sent only over TLS
 */
public record Route(String host, int port, boolean implicitTls, Credentials credentials) {

    /** A user name and password for AUTH PLAIN or LOGIN. The password never appears in toString or logs. */
    public record Credentials(String username, String password) {
        public Credentials {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Credentials[username=" + username + ", password=***]";
        }
    }

    public Route {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("route port must be from 1 to 65535: " + port);
        }
    }

    /**
     * Reads "relay.isp.net", "relay.isp.net:587", "[mx.example.net]:25", "127.0.0.1:2526", "[2001:db8::1]:25" (also
     * "[IPv6:2001:db8::1]"). The port defaults to 25.
     *
     * @throws IllegalArgumentException with what is wrong, to be shown next to the config key
     */
    public static Route parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("route is empty: give host or host:port");
        }
        String s = text.strip();
        String host;
        String rest;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("route \"" + s + "\": missing ']'");
            }
            host = s.substring(1, close);
            if (host.regionMatches(true, 0, "IPv6:", 0, 5)) {
                host = host.substring(5);
            }
            rest = s.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("route \"" + s + "\": expected ':port' after ']'");
            }
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("route \"" + s + "\": write an IPv6 address in brackets, as"
                    + " [2001:db8::1]:25");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            rest = colon < 0 ? "" : s.substring(colon);
        }
        int port = 25;
        if (!rest.isEmpty()) {
            String digits = rest.substring(1);
            if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("route \"" + s + "\": the port must be a number from 1 to 65535");
            }
            port = Integer.parseInt(digits);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("route \"" + s + "\": the port must be a number from 1 to 65535");
            }
        }
        return new Route(checkHost(host, s), port, false, null);
    }

    public Route withCredentials(String username, String password) {
        return new Route(host, port, implicitTls, new Credentials(username, password));
    }

    public Route withImplicitTls(boolean implicit) {
        return new Route(host, port, implicit, credentials);
    }

    /** "host:port", the destination name for logs and the per-destination connection limit. */
    public String destination() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static String checkHost(String host, String text) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("route \"" + text + "\": no host name");
        }
        if (isIpLiteral(host)) {
            return host;
        }
        if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("route \"" + text + "\": \"" + host + "\" is not an IP address");
        }
        try {
            return DomainName.toAscii(host);
        } catch (AddressException e) {
            throw new IllegalArgumentException("route \"" + text + "\": \"" + host + "\" is not a host name ("
                + e.getMessage() + ")");
        }
    }

    static boolean isIpLiteral(String host) {
        try {
            InetAddress.ofLiteral(host);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

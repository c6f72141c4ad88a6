package org.osprey.core.config;

import java.net.InetSocketAddress;

/** A listen address as written in the config: "host:port", "[v6]:port" or ":port" (all interfaces). */
public record HostPort(String host, int port) {

    public static HostPort parse(String text) {
        String host;
        String portText;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("\"" + text + "\" is not host:port (IPv6 is written [addr]:port)");
            }
            host = text.substring(1, close);
            portText = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException("\"" + text + "\" is not host:port (IPv6 is written [addr]:port)");
            }
            host = text.substring(0, colon);
            portText = text.substring(colon + 1);
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" has no valid port number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("\"" + text + "\": port " + port + " is out of range 0-65535");
        }
        return new HostPort(host.isEmpty() ? "0.0.0.0" : host, port);
    }

    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}

package org.osprey.filter.external;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where a scanner listens, from the config: {@code unix:/path/to/socket} or {@code host:port}
 * ({@code [v6-address]:port} for IPv6). A host name is looked up again for every connection, so a changed DNS
 * name is followed.
 */
record ScannerAddress(String text, Path unixPath, String host, int port) {

    /** @throws IllegalArgumentException with a message fit for the config error, when the text has neither form */
    static ScannerAddress parse(String text) {
        if (text.startsWith("unix:")) {
            String path = text.substring("unix:".length());
            if (path.isEmpty() || !path.startsWith("/")) {
                throw new IllegalArgumentException("\"" + text + "\": write a socket as unix:/absolute/path");
            }
            return new ScannerAddress(text, Path.of(path), null, 0);
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("\"" + text + "\" is neither unix:/path nor host:port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("\"" + text + "\": write an IPv6 host as [address]:port");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("\"" + text + "\" has a bad host or port");
        }
        return new ScannerAddress(text, null, host, port);
    }

    boolean isUnix() {
        return unixPath != null;
    }

    /** The address to connect to now; a TCP host name is resolved here (unresolved if the lookup failed). */
    SocketAddress resolve() {
        return isUnix() ? UnixDomainSocketAddress.of(unixPath) : new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return text;
    }
}

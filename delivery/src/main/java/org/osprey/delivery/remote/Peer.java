package org.osprey.delivery.remote;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * One address to try for a destination: the name it was found under (the MX host, the route's host, or the address
 * literal itself), the address to connect to and the port. Printed as Postfix prints it in its logs and bounces:
 * {@code mx.example.net[192.0.2.1]:25}, IPv6 in its short form (RFC 5952).
 */
public record Peer(String hostname, InetAddress address, int port) {

    /** {@code host[ip]}, the form used in reasons ("host mx.example.net[192.0.2.1] said: ..."). */
    public String label() {
        return hostname + "[" + text(address) + "]";
    }

    @Override
    public String toString() {
        return label() + ":" + port;
    }

    static String text(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        // RFC 5952 §4.2: the longest run of two or more zero groups (the first of equals) becomes "::"
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}

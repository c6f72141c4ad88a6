package org.osprey.filter.dnsbl;

import java.net.InetAddress;

/** An address block, {@code 10.0.0.0/8}, {@code fc00::/7} or a single address; IPv4 never matches IPv6. */
record Cidr(byte[] network, int prefix) {

    /** @throws IllegalArgumentException the text is not an IP address with an optional /prefix */
    static Cidr parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes;
        try {
            bytes = InetAddress.ofLiteral(address).getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IP address or network such as 10.0.0.0/8");
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bytes.length * 8) {
                throw new IllegalArgumentException("\"" + text + "\": the prefix length must be 0 to "
                    + bytes.length * 8);
            }
            prefix = Integer.parseInt(p);
        }
        return new Cidr(bytes, prefix);
    }

    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}

package org.osprey.filter.greylist;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}); a bare address is its
 * own /32 or /128. The stored address has its host bits cleared. An IPv4 network never contains an IPv6 address
 * (Java already turns {@code ::ffff:a.b.c.d} into an IPv4 address, so mapped clients match IPv4 entries).
 */
public record Cidr(byte[] network, int prefix) {
    public Cidr {
        if ((network.length != 4 && network.length != 16) || prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("bad network: " + network.length + " bytes, /" + prefix);
        }
        network = mask(network.clone(), prefix);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    /** Parses {@code address[/prefix]}; only IP literals are accepted, never a host name. */
    public static Cidr parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes;
        try {
            bytes = InetAddress.ofLiteral(address).getAddress(); // a literal only: never a DNS lookup
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP network: \"" + text + "\"");
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("bad prefix length in \"" + text + "\" (0 to " + max + ")");
            }
        }
        return new Cidr(bytes, prefix);
    }

    public static List<Cidr> parseAll(List<String> texts) {
        return texts.stream().map(Cidr::parse).toList();
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && Arrays.equals(mask(bytes, prefix), network);
    }

    /** The network of {@code address} with the given prefix length, e.g. "192.0.2.0/24". */
    static String networkOf(InetAddress address, int prefix) {
        byte[] masked = mask(address.getAddress(), prefix);
        try {
            return InetAddress.getByAddress(masked).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: 4 or 16 bytes
        }
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.clamp(prefix - i * 8L, 0, 8);
            bytes[i] &= (byte) (0xff << (8 - keep));
        }
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefix == other.prefix && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}

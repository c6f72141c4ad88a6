package org.osprey.filter.greylist;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The greylisting key: the client's network (IPv4 /24, IPv6 /64, since big senders retry from another address of
 * the same pool), the normalized envelope sender and the lower-cased recipient.
 *
 * <p>The sender is normalized so that a retry of the same mail gives the same key even when the sender's software
 * puts a per-message token into the address:
 * <ul>
 * <li>lower case; the null sender stays empty;</li>
 * <li>BATV ({@code prvs=TAG=user@}, also {@code msprvs1=}): the tag is dropped, leaving {@code user};</li>
 * <li>SRS ({@code SRS0=HASH=TT=domain=user@fwd}, {@code SRS1=HASH=fwd1==HASH=TT=domain=user@fwd}): hash and
 *     timestamp are dropped, forwarder and original address kept;</li>
 * <li>a {@code +tag} (sub-address, often the VERP part) is dropped;</li>
 * <li>VERP-style numbers: each run of digits in the local part becomes {@code #}.</li>
 * </ul>
 * Only the local part is rewritten; the domain is kept as given (lower-cased). A coarser key only makes greylisting
 * a little more lenient, never stricter.
 */
record Triplet(String network, String sender, String recipient) {

    static Triplet of(InetAddress client, String sender, String recipient) {
        return new Triplet(network(client), normalizeSender(sender), recipient.strip().toLowerCase(Locale.ROOT));
    }

    static String network(InetAddress client) {
        return Cidr.networkOf(client, client instanceof Inet4Address ? 24 : 64);
    }

    /** The primary key: hex SHA-256 of the three parts, NUL-separated (NUL cannot occur in an address). */
    String key() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((network + '\0' + sender + '\0' + recipient).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    static String normalizeSender(String sender) {
        String s = sender.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1);
        }
        int at = s.lastIndexOf('@');
        if (at < 0) {
            return s; // the null sender "" or something without a domain: used as is
        }
        String local = s.substring(0, at);
        String domain = s.substring(at);
        local = stripBatv(local);
        local = stripSrs(local);
        int plus = local.indexOf('+');
        if (plus > 0) {
            local = local.substring(0, plus);
        }
        local = local.replaceAll("[0-9]+", "#");
        return local + domain;
    }

    private static String stripBatv(String local) {
        for (String prefix : new String[] {"prvs=", "msprvs1="}) {
            if (local.startsWith(prefix)) {
                int end = local.indexOf('=', prefix.length());
                if (end > 0 && end + 1 < local.length()) {
                    return local.substring(end + 1);
                }
            }
        }
        return local;
    }

    private static String stripSrs(String local) {
        if (local.startsWith("srs0=")) {
            // srs0=HASH=TT=domain=user
            String[] f = local.split("=", 5);
            if (f.length == 5) {
                return "srs0=" + f[3] + "=" + f[4];
            }
        } else if (local.startsWith("srs1=")) {
            // srs1=HASH=fwd1==HASH=TT=domain=user
            int sep = local.indexOf("==");
            String[] head = local.substring(0, Math.max(sep, 0)).split("=", 3);
            if (sep > 0 && head.length == 3) {
                String[] f = local.substring(sep + 2).split("=", 4);
                if (f.length == 4) {
                    return "srs1=" + head[2] + "=" + f[2] + "=" + f[3];
                }
            }
        }
        return local;
    }
}

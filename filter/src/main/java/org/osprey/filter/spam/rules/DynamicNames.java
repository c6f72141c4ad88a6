package org.osprey.filter.spam.rules;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Host names that look like an access provider's generic name for a customer line rather than a mail server's:
 * the client's IPv4 address written into the name ("host-203-0-113-5.isp.example", "cpe0a0b0c0d.isp.example") or
 * a line-type word with digits ("dsl123.isp.example", "dyn-44-12.isp.example"). Names that say they are static or
 * a mail server are not counted. Generic patterns, no provider list.
 */
final class DynamicNames {
    private static final Set<String> LINE_WORDS = Set.of("dyn", "dynamic", "dynamicip", "dhcp", "dsl", "adsl", "xdsl",
        "vdsl", "ppp", "pppoe", "dialup", "dial", "dialin", "pool", "cable", "cpe", "broadband", "customer", "cust",
        "client", "clients", "res", "resident", "residential", "home", "user", "users", "mobile", "wireless", "catv",
        "ftth", "fttx", "dip", "unknown", "unassigned");
    private static final Set<String> SERVER_WORDS = Set.of("static", "mail", "smtp", "mx", "mta", "relay", "out",
        "outbound", "mailout", "email", "mx1", "mx2", "smtp1", "smtp2", "mail1", "mail2");
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private DynamicNames() {
    }

    static boolean looksDynamic(String name, InetAddress client) {
        String n = name.toLowerCase(Locale.ROOT).replaceAll("\\.+$", "");
        String registered = Domains.registered(n);
        if (n.length() <= registered.length() + 1) {
            return false;
        }
        String host = n.substring(0, n.length() - registered.length() - 1);
        List<String> words = new ArrayList<>();
        for (String word : host.split("[^a-z]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        for (String token : host.split("[.\\-_]+")) {
            words.add(token);
        }
        if (words.stream().anyMatch(SERVER_WORDS::contains)) {
            return false;
        }
        if (client instanceof Inet4Address && containsAddress(host, client.getAddress())) {
            return true;
        }
        boolean digits = host.chars().anyMatch(Character::isDigit);
        return digits && words.stream().anyMatch(LINE_WORDS::contains);
    }

    /** Three or four of the address's octets as numbers in the name, or all four as hex or zero-padded digits. */
    private static boolean containsAddress(String host, byte[] address) {
        int[] octets = new int[4];
        StringBuilder padded = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            octets[i] = address[i] & 0xff;
            padded.append(String.format("%03d", octets[i]));
        }
        if (host.contains(padded) || host.contains(HexFormat.of().formatHex(address))) {
            return true;
        }
        boolean[] used = new boolean[4];
        int matched = 0;
        Matcher m = DIGITS.matcher(host);
        while (m.find()) {
            if (m.group().length() > 3) {
                continue;
            }
            int value = Integer.parseInt(m.group());
            for (int i = 0; i < 4; i++) {
                if (!used[i] && octets[i] == value) {
                    used[i] = true;
                    matched++;
                    break;
                }
            }
        }
        return matched >= 3;
    }
}

package org.osprey.filter.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One parsed SPF record (RFC 7208 §4.6, §12 grammar). Parsing checks the whole record, so a syntax error anywhere
 * is a permerror before any term is evaluated (§4.6). Domain-specs stay unexpanded: macros depend on the check.
 *
 * @param mechanisms the mechanisms in record order
 * @param redirect   the redirect= domain-spec, when present (at most once, §6)
 * @param exp        the exp= domain-spec, when present (at most once, §6)
 */
record SpfRecord(List<Mechanism> mechanisms, Optional<String> redirect, Optional<String> exp) {

    enum Kind { ALL, INCLUDE, A, MX, PTR, IP4, IP6, EXISTS }

    /**
     * One directive. {@code domain} is the unexpanded domain-spec (empty: the current domain); {@code network} is
     * set for ip4/ip6; {@code prefix4} and {@code prefix6} are the (dual-)CIDR lengths.
     */
    record Mechanism(SpfResult.Code qualifier, Kind kind, Optional<String> domain, InetAddress network,
                     int prefix4, int prefix6, String text) {

        /** include, a, mx, ptr and exists cost one of the ten DNS-querying terms (§4.6.4). */
        boolean queriesDns() {
            return switch (kind) {
                case INCLUDE, A, MX, PTR, EXISTS -> true;
                default -> false;
            };
        }
    }

    private static final Pattern VERSION = Pattern.compile("(?i)v=spf1(?: .*)?");
    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9_.-]*)=(.*)");
    private static final Pattern DUAL_CIDR =
        Pattern.compile("(.*?)(?:/(0|[1-9][0-9]{0,2}))?(?://(0|[1-9][0-9]{0,2}))?");
    private static final Pattern IP4 = Pattern.compile("(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}"
        + "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
    private static final Pattern TOPLABEL =
        Pattern.compile("(?:[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9])");

    /** Whether a TXT string is an SPF record: "v=spf1" in any case, then a space or the end (§4.5). */
    static boolean isSpf(String txt) {
        return VERSION.matcher(txt).matches();
    }

    static SpfRecord parse(String txt) throws SpfException {
        if (!isSpf(txt)) {
            throw SpfException.perm("not an SPF record");
        }
        List<Mechanism> mechanisms = new ArrayList<>();
        Optional<String> redirect = Optional.empty();
        Optional<String> exp = Optional.empty();
        for (String term : txt.substring(6).split(" ")) {
            if (term.isEmpty()) {
                continue;
            }
            Matcher modifier = MODIFIER.matcher(term);
            if (modifier.matches()) {
                String name = modifier.group(1).toLowerCase(Locale.ROOT);
                String value = modifier.group(2);
                switch (name) {
                    case "redirect", "exp" -> {
                        if (name.equals("redirect") ? redirect.isPresent() : exp.isPresent()) {
                            throw SpfException.perm("more than one " + name + "= modifier");
                        }
                        domainSpec(value, term);
                        if (name.equals("redirect")) {
                            redirect = Optional.of(value);
                        } else {
                            exp = Optional.of(value);
                        }
                    }
                    default -> SpfMacro.expand(value, null, "", false); // unknown modifiers are ignored (§6)
                }
                continue;
            }
            mechanisms.add(mechanism(term));
        }
        return new SpfRecord(List.copyOf(mechanisms), redirect, exp);
    }

    private static Mechanism mechanism(String term) throws SpfException {
        SpfResult.Code qualifier = switch (term.charAt(0)) {
            case '+' -> SpfResult.Code.PASS;
            case '-' -> SpfResult.Code.FAIL;
            case '~' -> SpfResult.Code.SOFTFAIL;
            case '?' -> SpfResult.Code.NEUTRAL;
            default -> null;
        };
        String rest = qualifier == null ? term : term.substring(1);
        qualifier = qualifier == null ? SpfResult.Code.PASS : qualifier;
        int end = 0;
        while (end < rest.length() && rest.charAt(end) != ':' && rest.charAt(end) != '/') {
            end++;
        }
        String name = rest.substring(0, end).toLowerCase(Locale.ROOT);
        String argument = rest.substring(end);
        switch (name) {
            case "all" -> {
                if (!argument.isEmpty()) {
                    throw SpfException.perm("\"all\" takes no argument: " + term);
                }
                return new Mechanism(qualifier, Kind.ALL, Optional.empty(), null, 32, 128, term);
            }
            case "include", "exists" -> {
                if (!argument.startsWith(":")) {
                    throw SpfException.perm(name + " needs a domain: " + term);
                }
                String domain = argument.substring(1);
                domainSpec(domain, term);
                return new Mechanism(qualifier, name.equals("include") ? Kind.INCLUDE : Kind.EXISTS,
                    Optional.of(domain), null, 32, 128, term);
            }
            case "ptr" -> {
                Optional<String> domain = Optional.empty();
                if (!argument.isEmpty()) {
                    if (!argument.startsWith(":")) {
                        throw SpfException.perm("bad ptr mechanism: " + term);
                    }
                    domain = Optional.of(domainSpec(argument.substring(1), term));
                }
                return new Mechanism(qualifier, Kind.PTR, domain, null, 32, 128, term);
            }
            case "a", "mx" -> {
                Matcher cidr = DUAL_CIDR.matcher(argument);
                if (!cidr.matches()) {
                    throw SpfException.perm("bad mechanism: " + term);
                }
                String head = cidr.group(1);
                Optional<String> domain = Optional.empty();
                if (!head.isEmpty()) {
                    if (!head.startsWith(":")) {
                        throw SpfException.perm("bad mechanism: " + term);
                    }
                    domain = Optional.of(domainSpec(head.substring(1), term));
                }
                int prefix4 = cidr.group(2) == null ? 32 : Integer.parseInt(cidr.group(2));
                int prefix6 = cidr.group(3) == null ? 128 : Integer.parseInt(cidr.group(3));
                if (prefix4 > 32 || prefix6 > 128) {
                    throw SpfException.perm("CIDR length out of range: " + term);
                }
                return new Mechanism(qualifier, name.equals("a") ? Kind.A : Kind.MX, domain, null, prefix4,
                    prefix6, term);
            }
            case "ip4", "ip6" -> {
                if (!argument.startsWith(":")) {
                    throw SpfException.perm(name + " needs an address: " + term);
                }
                String network = argument.substring(1);
                int slash = network.indexOf('/');
                int max = name.equals("ip4") ? 32 : 128;
                int prefix = max;
                if (slash >= 0) {
                    String length = network.substring(slash + 1);
                    if (!length.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(length) > max) {
                        throw SpfException.perm("bad CIDR length: " + term);
                    }
                    prefix = Integer.parseInt(length);
                    network = network.substring(0, slash);
                }
                InetAddress address = name.equals("ip4") ? ip4(network, term) : ip6(network, term);
                return new Mechanism(qualifier, name.equals("ip4") ? Kind.IP4 : Kind.IP6, Optional.empty(),
                    address, prefix, prefix, term);
            }
            default -> throw SpfException.perm("unknown mechanism: " + term);
        }
    }

    private static InetAddress ip4(String text, String term) throws SpfException {
        if (!IP4.matcher(text).matches()) {
            throw SpfException.perm("bad IPv4 address: " + term);
        }
        return InetAddress.ofLiteral(text);
    }

    /** An IPv6 network, kept as 16 bytes even when it is IPv4-mapped (Java would turn that into IPv4). */
    private static InetAddress ip6(String text, String term) throws SpfException {
        if (!text.contains(":") || !text.matches("[0-9A-Fa-f:.]+")) {
            throw SpfException.perm("bad IPv6 address: " + term);
        }
        try {
            InetAddress address = InetAddress.ofLiteral(text);
            if (address instanceof Inet4Address v4) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
                return java.net.Inet6Address.getByAddress(null, mapped, -1);
            }
            return address;
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            throw SpfException.perm("bad IPv6 address: " + term);
        }
    }

    /** §12: domain-spec = macro-string domain-end; domain-end = ("." toplabel ["."]) / macro-expand. */
    private static String domainSpec(String spec, String term) throws SpfException {
        if (spec.isEmpty()) {
            throw SpfException.perm("empty domain in " + term);
        }
        SpfMacro.expand(spec, null, "", false);
        if (spec.endsWith("}") || spec.endsWith("%%") || spec.endsWith("%_") || spec.endsWith("%-")) {
            return spec;
        }
        String body = spec.endsWith(".") ? spec.substring(0, spec.length() - 1) : spec;
        int dot = body.lastIndexOf('.');
        if (dot < 0 || !TOPLABEL.matcher(body.substring(dot + 1)).matches()) {
            throw SpfException.perm("bad domain \"" + spec + "\" in " + term);
        }
        return spec;
    }
}

package org.osprey.filter.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.osprey.filter.dns.IpText;

/**
 * RFC 7208 §7 macro expansion. A macro-string is expanded against a {@link Context}; with a null context it is only
 * checked for syntax (what the record parser does before anything is evaluated). Any syntax error is a
 * permerror. Letters c, r and t are allowed only in explanation strings (§7.2), which may also contain spaces.
 */
final class SpfMacro {
    private static final String DELIMITERS = ".-+,/_=";
    private static final Pattern SPLIT_DEFAULT = Pattern.compile("\\.");

    /**
     * What macros expand to. {@code validatedName} gives the "p" value for a domain, only when asked (it costs DNS
     * lookups); it answers "unknown" rather than failing (§7.3).
     */
    record Context(String sender, String localPart, String senderDomain, InetAddress client, String helo,
                   String receiver, long timestamp, java.util.function.Function<String, String> validatedName) {
    }

    private SpfMacro() {
    }

    /** Expands a domain-spec or modifier value, and for domains cuts it to 253 characters from the left (§7.3). */
    static String domain(String spec, Context context, String domain) throws SpfException {
        String expanded = expand(spec, context, domain, false);
        while (expanded.length() > 253 && expanded.indexOf('.') >= 0) {
            expanded = expanded.substring(expanded.indexOf('.') + 1);
        }
        return expanded;
    }

    static String expand(String text, Context context, String domain, boolean explanation) throws SpfException {
        var out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                if (c < 0x21 && !(explanation && c == ' ') || c > 0x7e) {
                    throw SpfException.perm("bad character in \"" + text + "\"");
                }
                out.append(c);
                continue;
            }
            if (i + 1 >= text.length()) {
                throw SpfException.perm("lone % at the end of \"" + text + "\"");
            }
            char next = text.charAt(++i);
            switch (next) {
                case '%' -> out.append('%');
                case '_' -> out.append(' ');
                case '-' -> out.append("%20");
                case '{' -> {
                    int close = text.indexOf('}', i);
                    if (close < 0) {
                        throw SpfException.perm("unclosed macro in \"" + text + "\"");
                    }
                    out.append(macro(text.substring(i + 1, close), context, domain, explanation));
                    i = close;
                }
                default -> throw SpfException.perm("bad macro %" + next + " in \"" + text + "\"");
            }
        }
        return out.toString();
    }

    /** One "%{...}" body: letter, digits, optional "r", delimiters. */
    private static String macro(String body, Context context, String domain, boolean explanation)
        throws SpfException {
        if (body.isEmpty()) {
            throw SpfException.perm("empty macro %{}");
        }
        char letter = body.charAt(0);
        char lower = Character.toLowerCase(letter);
        if ("slodipvh".indexOf(lower) < 0 && !(explanation && "crt".indexOf(lower) >= 0)) {
            throw SpfException.perm("unknown macro letter " + letter);
        }
        int i = 1;
        int digitsStart = i;
        while (i < body.length() && Character.isDigit(body.charAt(i))) {
            i++;
        }
        int keep = Integer.MAX_VALUE;
        if (i > digitsStart) {
            String digits = body.substring(digitsStart, i);
            keep = digits.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(digits);
            if (keep == 0) {
                throw SpfException.perm("macro transformer 0 in %{" + body + "}"); // §7.3: at least one
            }
        }
        boolean reverse = false;
        if (i < body.length() && (body.charAt(i) == 'r' || body.charAt(i) == 'R')) {
            reverse = true;
            i++;
        }
        String delimiters = body.substring(i);
        for (char d : delimiters.toCharArray()) {
            if (DELIMITERS.indexOf(d) < 0) {
                throw SpfException.perm("bad delimiter '" + d + "' in %{" + body + "}");
            }
        }
        if (context == null) {
            return "x";
        }
        String value = switch (lower) {
            case 's' -> context.sender();
            case 'l' -> context.localPart();
            case 'o' -> context.senderDomain();
            case 'd' -> domain;
            case 'i' -> dotted(context.client());
            case 'p' -> context.validatedName().apply(domain);
            case 'v' -> context.client() instanceof Inet4Address ? "in-addr" : "ip6";
            case 'h' -> context.helo();
            case 'c' -> readable(context.client());
            case 'r' -> context.receiver();
            case 't' -> Long.toString(context.timestamp());
            default -> throw new IllegalStateException();
        };
        String result = transform(value, keep, reverse, delimiters);
        return Character.isUpperCase(letter) ? urlEscape(result) : result;
    }

    private static String transform(String value, int keep, boolean reverse, String delimiters) {
        if (keep == Integer.MAX_VALUE && !reverse && delimiters.isEmpty()) {
            return value;
        }
        Pattern split = SPLIT_DEFAULT;
        if (!delimiters.isEmpty()) {
            var set = new StringBuilder("[");
            for (char d : delimiters.toCharArray()) {
                set.append('\\').append(d); // every delimiter is punctuation, so escaping it is always safe
            }
            split = Pattern.compile(set.append(']').toString());
        }
        List<String> parts = new ArrayList<>(List.of(split.split(value, -1)));
        if (reverse) {
            Collections.reverse(parts);
        }
        if (keep < parts.size()) {
            parts = parts.subList(parts.size() - keep, parts.size());
        }
        return String.join(".", parts);
    }

    /** §7.3: uppercase macros are URL-escaped, every byte outside RFC 3986's unreserved set as %XX. */
    private static String urlEscape(String value) {
        var out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }

    /** The "i" form: dotted quad, or 32 dot-separated nibbles for IPv6 (§7.3). */
    static String dotted(InetAddress address) {
        byte[] bytes = address.getAddress();
        var s = new StringBuilder();
        for (byte b : bytes) {
            if (bytes.length == 4) {
                s.append(s.isEmpty() ? "" : ".").append(b & 0xff);
            } else {
                s.append(s.isEmpty() ? "" : ".").append(Integer.toHexString((b >> 4) & 0xf)).append('.')
                    .append(Integer.toHexString(b & 0xf));
            }
        }
        return s.toString();
    }

    /** The "c" form and the header form: dotted quad, or RFC 5952 compressed IPv6. */
    static String readable(InetAddress address) {
        return IpText.of(address);
    }
}

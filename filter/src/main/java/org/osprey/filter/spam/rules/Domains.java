package org.osprey.filter.spam.rules;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Host names as the rules compare them: the registered domain (an approximation of the public suffix list: two
 * labels, three under the usual second-level labels of country domains such as co.uk or com.au), well-known
 * free mail providers and URL shorteners (public, general knowledge; not derived from any corpus).
 */
final class Domains {
    private static final Set<String> SECOND_LEVEL = Set.of("co", "com", "net", "org", "gov", "edu", "ac", "ne", "or",
        "go", "gob", "mil", "nic", "ltd", "plc", "sch", "nhs", "gv", "in", "lg", "ad");

    private static final Set<String> FREEMAIL = Set.of("gmail.com", "googlemail.com", "ymail.com", "rocketmail.com",
        "msn.com", "aol.com", "aim.com", "icloud.com", "me.com", "mac.com", "mail.com", "email.com", "usa.com",
        "gmx.com", "gmx.net", "gmx.de", "web.de", "yandex.ru", "yandex.com", "ya.ru", "mail.ru", "inbox.ru",
        "list.ru", "bk.ru", "protonmail.com", "proton.me", "pm.me", "zoho.com", "qq.com", "163.com", "126.com",
        "sina.com", "rediffmail.com", "libero.it", "laposte.net", "orange.fr", "wanadoo.fr", "free.fr",
        "t-online.de", "tutanota.com", "fastmail.com", "hushmail.com", "seznam.cz", "wp.pl", "o2.pl", "naver.com");
    /** Providers with one domain per country (yahoo.co.uk, hotmail.fr, outlook.de, live.com…). */
    private static final Set<String> FREEMAIL_BRANDS = Set.of("yahoo", "hotmail", "outlook", "live");

    private static final Set<String> SHORTENERS = Set.of("bit.ly", "bitly.com", "tinyurl.com", "goo.gl", "ow.ly",
        "t.co", "is.gd", "buff.ly", "rebrand.ly", "cutt.ly", "shorturl.at", "tiny.cc", "rb.gy", "bit.do", "t.ly",
        "s.id", "v.gd", "soo.gd", "shorte.st", "adf.ly", "tr.im", "x.co", "qr.ae", "u.to", "clck.ru", "tiny.pl",
        "shrtco.de", "urlz.fr", "lnkd.in", "short.gy");

    private Domains() {
    }

    /** The host of an http(s) or schemeless "www." link, lower case, without a trailing dot. */
    static Optional<String> host(String href) {
        String h = href.strip();
        int from;
        if (h.regionMatches(true, 0, "http://", 0, 7)) {
            from = 7;
        } else if (h.regionMatches(true, 0, "https://", 0, 8)) {
            from = 8;
        } else if (h.regionMatches(true, 0, "www.", 0, 4)) {
            from = 0;
        } else {
            return Optional.empty();
        }
        String authority = authorityFrom(h, from);
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        int end;
        if (hostPort.startsWith("[")) {
            end = hostPort.indexOf(']') + 1;
        } else {
            end = hostPort.indexOf(':');
            end = end < 0 ? hostPort.length() : end;
        }
        while (end > 0 && hostPort.charAt(end - 1) == '.') {
            end--;
        }
        String host = hostPort.substring(0, Math.max(end, 0)).toLowerCase(Locale.ROOT);
        return host.isEmpty() ? Optional.empty() : Optional.of(host);
    }

    /** The authority of an http(s) URL: what stands between "//" and the next "/", "?" or "#". */
    static String authority(String url) {
        int start = url.indexOf("//");
        return start < 0 ? "" : authorityFrom(url, start + 2);
    }

    private static String authorityFrom(String url, int start) {
        int end = start;
        while (end < url.length() && "/?#\\".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return url.substring(start, end);
    }

    /** An IPv6 literal in brackets, a dotted IPv4 address, or the decimal and hex forms browsers also accept. */
    static boolean isIpLiteral(String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (host.startsWith("[")) {
            return true;
        }
        boolean hex = host.startsWith("0x");
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || (hex && (c == 'x' || Character.digit(c, 16) >= 0));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The domain a name is registered under: "mail.example.co.uk" → "example.co.uk". */
    static String registered(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        int end = h.length();
        while (end > 0 && h.charAt(end - 1) == '.') {
            end--;
        }
        h = h.substring(0, end);
        if (isIpLiteral(h)) {
            return h;
        }
        int last = h.lastIndexOf('.');
        int second = last <= 0 ? -1 : h.lastIndexOf('.', last - 1);
        if (second < 0) {
            return h;
        }
        boolean countrySecondLevel = h.length() - last - 1 == 2
            && SECOND_LEVEL.contains(h.substring(second + 1, last));
        if (!countrySecondLevel) {
            return h.substring(second + 1);
        }
        int third = second == 0 ? -1 : h.lastIndexOf('.', second - 1);
        return h.substring(third + 1);
    }

    static boolean isFreemail(String domain) {
        String d = registered(domain);
        if (FREEMAIL.contains(d)) {
            return true;
        }
        return FREEMAIL_BRANDS.contains(d.substring(0, d.indexOf('.') < 0 ? d.length() : d.indexOf('.')));
    }

    static boolean isShortener(String host) {
        return SHORTENERS.contains(host) || SHORTENERS.contains(registered(host));
    }
}

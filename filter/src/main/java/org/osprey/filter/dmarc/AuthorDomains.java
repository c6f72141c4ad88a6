package org.osprey.filter.dmarc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.osprey.core.address.AddressException;
import org.osprey.core.address.DomainName;

/**
 * The domains of the author addresses in From fields (RFC 5322 §3.6.2), which DMARC checks (RFC 7489 §6.6.1).
 * Comments and quoted display names are skipped, so a "<" or "@" inside them cannot pose as the address; groups and
 * lists of mailboxes give every address. A message may carry several From addresses (or From fields): DMARC is
 * then checked for each domain, so adding a second From cannot hide the first.
 */
public final class AuthorDomains {
    private AuthorDomains() {
    }

    /** The distinct domains, lower case, in order; empty when no field holds an address with a domain. */
    public static List<String> of(List<String> fromValues) {
        Set<String> domains = new LinkedHashSet<>();
        for (String value : fromValues) {
            for (String mailbox : mailboxes(withoutCommentsAndQuotes(value))) {
                String address = mailbox;
                int open = mailbox.lastIndexOf('<');
                if (open >= 0) {
                    int close = mailbox.indexOf('>', open);
                    address = mailbox.substring(open + 1, close < 0 ? mailbox.length() : close);
                    address = address.substring(address.lastIndexOf(':') + 1); // an obsolete route "@a,@b:"
                } else {
                    address = address.substring(address.lastIndexOf(':') + 1); // "group: a@b"
                }
                int at = address.lastIndexOf('@');
                if (at <= 0) {
                    continue;
                }
                String domain = address.substring(at + 1).strip().toLowerCase(Locale.ROOT);
                if (domain.endsWith(".")) {
                    domain = domain.substring(0, domain.length() - 1);
                }
                if (!domain.chars().allMatch(c -> c < 0x80)) {
                    // an internationalized From (RFC 6532): its policy is published under the A-label
                    try {
                        domain = DomainName.toAscii(domain);
                    } catch (AddressException e) {
                        continue;
                    }
                }
                if (domain.matches("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)+")) {
                    domains.add(domain);
                }
            }
        }
        return List.copyOf(domains);
    }

    /** Comments (nested) and quoted strings replaced by a space, quoted-pairs honoured. */
    private static String withoutCommentsAndQuotes(String value) {
        var out = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((quoted || depth > 0) && c == '\\') {
                i++;
                continue;
            }
            if (quoted) {
                quoted = c != '"';
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0 && c == '"') {
                quoted = true;
                out.append(' ');
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Splits at commas outside angle brackets (a route inside brackets has commas of its own). */
    private static List<String> mailboxes(String text) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        boolean angle = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '<') {
                angle = true;
            } else if (c == '>') {
                angle = false;
            } else if ((c == ',' || c == ';') && !angle) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }
}

package org.osprey.filter.dmarc;

import com.google.common.net.InternetDomainName;
import java.util.Locale;

/**
 * The organizational domain of RFC 7489 §3.2: the public suffix of a name plus one label, by the public suffix
 * list (Guava's copy of it, both its ICANN and private sections, as OpenDMARC reads the list). A name under no
 * listed suffix falls back to the list's default rule "*": its last label is the suffix, so the organizational
 * domain is its last two labels.
 */
public final class OrganizationalDomain {
    private OrganizationalDomain() {
    }

    /** The organizational domain of {@code domain} (lower case, no final dot); the name itself if it has one label. */
    public static String of(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        try {
            InternetDomainName name = InternetDomainName.from(d);
            if (name.isUnderPublicSuffix()) {
                return name.topPrivateDomain().toString();
            }
            if (name.isPublicSuffix()) {
                return d; // a public suffix itself (e.g. "co.uk") has no organization under it
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // not a name Guava accepts (e.g. labels with "_"): the default rule below
        }
        int last = d.lastIndexOf('.');
        int secondLast = last <= 0 ? -1 : d.lastIndexOf('.', last - 1);
        return secondLast < 0 ? d : d.substring(secondLast + 1);
    }

    /** RFC 7489 §3.1: relaxed alignment is equal organizational domains; strict is equal names. */
    public static boolean aligned(String a, String b, boolean strict) {
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        return strict ? x.equals(y) : of(x).equals(of(y));
    }
}

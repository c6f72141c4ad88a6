package org.osprey.core.address;

import java.net.IDN;
import java.util.Locale;

/**
 * Domain names in both IDN forms. Osprey compares domains by their lower-case A-label ("xn--bcher-kva.example"),
 * so a domain written as U-label ("bücher.example") or A-label finds the same entry.
 */
public final class DomainName {
    private static final int MAX_LENGTH = 253;

    private DomainName() {
    }

    /** The lower-case A-label form, validated as a host name (letters, digits, hyphens, dots). */
    public static String toAscii(String domain) throws AddressException {
        if (domain == null || domain.isEmpty()) {
            throw new AddressException("empty domain");
        }
        String trimmed = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        String ascii;
        try {
            ascii = IDN.toASCII(trimmed, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new AddressException("invalid international domain name");
        }
        if (ascii.isEmpty() || ascii.length() > MAX_LENGTH) {
            throw new AddressException("domain is empty or longer than " + MAX_LENGTH + " characters");
        }
        for (String label : ascii.split("\\.", -1)) {
            if (!isLdhLabel(label)) {
                throw new AddressException("domain has an invalid label");
            }
        }
        return ascii;
    }

    /** The U-label form for display ("bücher.example"); ASCII domains come back unchanged, lower-cased. */
    public static String toUnicode(String domain) throws AddressException {
        return IDN.toUnicode(toAscii(domain), IDN.ALLOW_UNASSIGNED);
    }

    /** The U-label form of a domain that is already a valid A-label; anything else comes back unchanged. */
    public static String unicodeOrSame(String asciiDomain) {
        try {
            return toUnicode(asciiDomain);
        } catch (AddressException e) {
            return asciiDomain;
        }
    }

    private static boolean isLdhLabel(String label) {
        if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
            return false;
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}

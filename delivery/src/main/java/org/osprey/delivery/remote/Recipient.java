package org.osprey.delivery.remote;

import org.osprey.core.address.AddressException;
import org.osprey.core.address.EmailAddress;

/**
 * A recipient as the caller gave it (the key of its result) and as it goes into RCPT TO: the domain as A-label,
 * valid with and without SMTPUTF8 (RFC 6531 §3.2), the local part as it is. {@code needsUtf8} when the local part
 * is not ASCII, so only an SMTPUTF8 server can take it.
 */
record Recipient(String given, String path, boolean needsUtf8) {

    /** @throws AddressException the address cannot be sent; the recipient fails with 5.1.3 */
    static Recipient of(String given) throws AddressException {
        String path = path(given);
        return new Recipient(given, path, !isAscii(path));
    }

    /** An address in the form that goes between the angle brackets of MAIL FROM or RCPT TO; "" stays "". */
    static String path(String address) throws AddressException {
        if (address.isEmpty()) {
            return "";
        }
        int at = address.lastIndexOf('@');
        if (at > 0 && address.startsWith("[", at + 1)) {
            // an address literal (RFC 5321 §4.1.3), which EmailAddress refuses; its address is checked when resolved
            if (!address.endsWith("]") || address.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>')) {
                throw new AddressException("bad address literal");
            }
            return address;
        }
        return EmailAddress.parse(address).toString();
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }
}

package org.osprey.sieve.message;

/**
 * One address found in a header or the envelope. When {@code valid}, {@code localPart} (quotes removed) and
 * {@code domain} are set; otherwise only {@code text}, the item as written, which :all still compares but
 * :localpart and :domain never match (RFC 5228 §2.7.4).
 */
public record MailAddress(String localPart, String domain, String text, boolean valid) {
    public static MailAddress invalid(String text) {
        return new MailAddress(null, null, text, false);
    }

    /** The address as "local@domain", the local part quoted again when it is not a dot-atom. */
    public String addrSpec() {
        if (!valid) {
            return text;
        }
        return (AddressParser.isDotAtom(localPart) ? localPart : quote(localPart)) + "@" + domain;
    }

    private static String quote(String local) {
        var out = new StringBuilder("\"");
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }
}

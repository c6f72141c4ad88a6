package org.osprey.filter.spam.rules;

import java.util.Locale;
import org.osprey.filter.mail.ParsedMessage;

/** The parts of an address header value (RFC 5322 §3.4) the rules compare, read leniently. */
record Addresses(String displayName, String address) {
    static final Addresses NONE = new Addresses("", "");

    /** The first mailbox of a header value such as {@code "Alice" <alice@example.org>} or {@code a@b (Alice)}. */
    static Addresses first(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        String v = ParsedMessage.decodeWords(value.strip());
        int open = v.lastIndexOf('<');
        int close = v.indexOf('>', open + 1);
        if (open >= 0 && close > open) {
            String name = v.substring(0, open).strip();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1).replace("\\\"", "\"");
            }
            return new Addresses(name.strip(), v.substring(open + 1, close).strip());
        }
        for (String token : v.split("[\\s,;]+")) {
            if (token.indexOf('@') > 0) {
                return new Addresses("", token.replaceAll("^[(\"<]+|[)\">]+$", ""));
            }
        }
        return new Addresses(v, "");
    }

    /** The domain of {@code address}, lower case, "" when there is none. */
    static String domain(String address) {
        if (address == null) {
            return "";
        }
        int at = address.lastIndexOf('@');
        if (at < 0 || at == address.length() - 1) {
            return "";
        }
        String domain = address.substring(at + 1).strip().toLowerCase(Locale.ROOT);
        int end = domain.length();
        while (end > 0 && (domain.charAt(end - 1) == '>' || domain.charAt(end - 1) == '.')) {
            end--;
        }
        return domain.substring(0, end);
    }

    String domain() {
        return domain(address);
    }

    /** True for something shaped like local@domain.tld. */
    boolean valid() {
        int at = address.lastIndexOf('@');
        return at > 0 && domain().indexOf('.') > 0 && !address.contains(" ");
    }
}

package org.osprey.core.address;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A mailbox address as RFC 5321 §4.1.2 and RFC 6531 (SMTPUTF8) define it: a local part (dot-string or quoted
 * string, UTF-8 allowed) and a domain (kept as lower-case A-label; address literals are not mailboxes we host and
 * are refused). {@code localPart} holds the decoded content without quotes.
 */
public record EmailAddress(String localPart, String domain) {
    private static final int MAX_LOCAL_PART_OCTETS = 64;
    private static final int MAX_PATH_OCTETS = 254;

    public static EmailAddress parse(String text) throws AddressException {
        if (text == null || text.isEmpty()) {
            throw new AddressException("empty address");
        }
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1) {
            throw new AddressException("address must look like user@domain");
        }
        String local = decodeLocalPart(text.substring(0, at));
        String domain = DomainName.toAscii(text.substring(at + 1));
        if (local.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL_PART_OCTETS) {
            throw new AddressException("local part is longer than " + MAX_LOCAL_PART_OCTETS + " octets");
        }
        EmailAddress address = new EmailAddress(local, domain);
        if (address.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_OCTETS) {
            throw new AddressException("address is longer than " + MAX_PATH_OCTETS + " octets");
        }
        return address;
    }

    /** The form used to look addresses up: local part lower-cased, domain as A-label. */
    public String key() {
        return localPart.toLowerCase(Locale.ROOT) + "@" + domain;
    }

    /** The same address with the domain as U-label, for display and for rows written by people. */
    public String unicodeForm() {
        try {
            return quotedLocalPart() + "@" + DomainName.toUnicode(domain);
        } catch (AddressException e) {
            throw new IllegalStateException("domain was validated on parse", e);
        }
    }

    /** True when the address needs SMTPUTF8 to travel (non-ASCII in the local part). */
    public boolean needsSmtpUtf8() {
        for (int i = 0; i < localPart.length(); i++) {
            if (localPart.charAt(i) > 127) {
                return true;
            }
        }
        return false;
    }

    public EmailAddress withLocalPart(String newLocalPart) {
        return new EmailAddress(newLocalPart, domain);
    }

    /** The same local part in another domain, given as a validated A-label. */
    public EmailAddress withDomain(String asciiDomain) {
        return new EmailAddress(localPart, asciiDomain);
    }

    @Override
    public String toString() {
        return quotedLocalPart() + "@" + domain;
    }

    private String quotedLocalPart() {
        if (isDotString(localPart)) {
            return localPart;
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < localPart.length(); i++) {
            char c = localPart.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    private static String decodeLocalPart(String raw) throws AddressException {
        if (raw.startsWith("\"")) {
            if (raw.length() < 2 || !raw.endsWith("\"")) {
                throw new AddressException("unterminated quoted local part");
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < raw.length() - 1; i++) {
                char c = raw.charAt(i);
                if (c == '\\') {
                    if (++i >= raw.length() - 1) {
                        throw new AddressException("bad escape in quoted local part");
                    }
                    c = raw.charAt(i);
                    if (c < 32 || c > 126) {
                        throw new AddressException("bad escape in quoted local part");
                    }
                } else if (c == '"' || (c < 32) || c == 127) {
                    throw new AddressException("bad character in quoted local part");
                }
                sb.append(c);
            }
            if (sb.isEmpty()) {
                throw new AddressException("empty local part");
            }
            return sb.toString();
        }
        if (!isDotString(raw)) {
            throw new AddressException("local part has characters that need quoting");
        }
        return raw;
    }

    static boolean isDotString(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && !isAtext(c)) {
                return false;
            }
        }
        return true;
    }

    /** RFC 5322 atext, plus any non-ASCII character (RFC 6531 UTF8-non-ascii). */
    private static boolean isAtext(char c) {
        if (c >= 0x80) {
            return !Character.isISOControl(c) && !Character.isWhitespace(c);
        }
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }
}

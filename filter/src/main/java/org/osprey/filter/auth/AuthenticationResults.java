package org.osprey.filter.auth;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.osprey.filter.dkim.DkimResult;
import org.osprey.filter.dmarc.DmarcResult;
import org.osprey.filter.mail.HeaderField;
import org.osprey.filter.mail.MessageHeader;

/**
 * The Authentication-Results header field (RFC 8601) that tells the user's programs, Sieve and the spam score what
 * sender authentication found, and the search for forged ones: a field that names our host as its authserv-id but
 * came with the message was written by the sender, not by us (§5), and must not reach the mailbox. Everything a
 * sender chose (domains, selectors, addresses) is cleaned of control characters and quoted where it is not a plain
 * token, so it cannot add header lines or results.
 */
public final class AuthenticationResults {
    private static final String NAME = "Authentication-Results";

    private AuthenticationResults() {
    }

    /**
     * The whole field without its final CRLF, one result per folded line:
     * {@code Authentication-Results: mx.example.org;\r\n\tspf=pass smtp.mailfrom=a@example.com;\r\n\tdkim=...}. With no
     * results it says "none" (§2.2).
     */
    public static String field(String authservId, List<String> results) {
        if (results.isEmpty()) {
            return NAME + ": " + clean(authservId) + "; none";
        }
        return NAME + ": " + clean(authservId) + ";\r\n\t" + String.join(";\r\n\t", results);
    }

    /** {@code dkim=pass header.d=example.com header.i=@example.com header.s=sel header.a=rsa-sha256 header.b=...}. */
    public static String dkim(DkimResult r) {
        var s = new StringBuilder("dkim=").append(r.code().keyword());
        String comment = r.reason() + (r.testing() ? (r.reason().isEmpty() ? "" : ", ") + "key in test mode" : "");
        if (!comment.isEmpty()) {
            s.append(" (").append(comment(comment)).append(')');
        }
        if (!r.domain().isEmpty()) {
            s.append(" header.d=").append(value(r.domain()));
        }
        if (!r.identity().isEmpty()) {
            s.append(" header.i=").append(value(r.identity()));
        }
        if (!r.selector().isEmpty()) {
            s.append(" header.s=").append(value(r.selector()));
        }
        if (!r.algorithm().isEmpty()) {
            s.append(" header.a=").append(value(r.algorithm()));
        }
        if (!r.headerB().isEmpty()) {
            s.append(" header.b=").append(value(r.headerB()));
        }
        return s.toString();
    }

    /** {@code dmarc=fail (p=reject sp=none pct=100 dis=reject) header.from=example.com}. */
    public static String dmarc(DmarcResult r) {
        var s = new StringBuilder("dmarc=").append(r.code().keyword());
        String comment = r.record().map(record -> "p=" + record.policy().keyword()
                + record.subdomainPolicy().map(sp -> " sp=" + sp.keyword()).orElse("")
                + " pct=" + record.percent() + " dis=" + r.disposition().keyword()).orElse(r.reason());
        s.append(" (").append(comment(comment)).append(')');
        return s.append(" header.from=").append(value(r.fromDomain())).toString();
    }

    /**
     * The positions of the Authentication-Results fields that claim to be ours: their authserv-id (the first
     * token of the value, after any comment) is our host name, compared without regard to case.
     */
    public static Set<Integer> forged(MessageHeader header, String authservId) {
        Set<Integer> positions = new HashSet<>();
        for (HeaderField field : header.all(NAME)) {
            if (authservId(field.value()).equalsIgnoreCase(authservId)) {
                positions.add(field.position());
            }
        }
        return positions;
    }

    /** The authserv-id of a field value (§2.2: a value, token or quoted-string, optionally after CFWS). */
    static String authservId(String value) {
        int i = skipCfws(value, 0);
        if (i < value.length() && value.charAt(i) == '"') {
            var s = new StringBuilder();
            for (i++; i < value.length() && value.charAt(i) != '"'; i++) {
                if (value.charAt(i) == '\\' && i + 1 < value.length()) {
                    i++;
                }
                s.append(value.charAt(i));
            }
            return s.toString();
        }
        int end = i;
        while (end < value.length() && " \t;(".indexOf(value.charAt(end)) < 0) {
            end++;
        }
        return value.substring(i, end);
    }

    private static int skipCfws(String value, int start) {
        int i = start;
        int depth = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (c == '\\' && depth > 0) {
                i++;
            } else if (depth == 0 && c != ' ' && c != '\t') {
                break;
            }
            i++;
        }
        return i;
    }

    /**
     * A pvalue (§2.2): an RFC 2045 token or an address ([local-part] "@" domain) stays as it is, anything else
     * becomes a quoted-string.
     */
    static String value(String text) {
        String c = clean(text);
        boolean token = c.matches("[A-Za-z0-9!#$%&'*+^_`{|}~.-]+");
        boolean address = c.matches("([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)?"
                + "@[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
        return token || address ? c : '"' + c.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** Text for a comment: no parentheses or backslashes (they would need balancing or quoting). */
    private static String comment(String text) {
        return clean(text).replaceAll("[()\\\\]", "");
    }

    private static String clean(String text) {
        var s = new StringBuilder();
        for (char c : text.toCharArray()) {
            s.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return s.toString();
    }
}

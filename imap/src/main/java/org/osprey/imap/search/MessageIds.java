package org.osprey.imap.search;

import java.util.ArrayList;
import java.util.List;

/**
 * The msg-ids of a Message-ID, References or In-Reply-To field (RFC 5322 §3.6.4), leniently: every
 * {@code <...>} outside comments and quoted strings whose content has an "@" (RFC 5256's "valid Message ID"),
 * white space inside removed. Comments and free text around them (old In-Reply-To forms such as
 * {@code "Your message of ..." <id@host>}) are skipped. Ids compare case-sensitively (RFC 5256 §4).
 */
final class MessageIds {
    private MessageIds() {
    }

    static List<String> parse(String value) {
        List<String> ids = new ArrayList<>();
        if (value == null) {
            return ids;
        }
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (depth > 0) {
                if (c == '\\') {
                    i++;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
            } else if (c == '(') {
                depth = 1;
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                int end = value.indexOf('>', i + 1);
                if (end < 0) {
                    break;
                }
                String id = value.substring(i + 1, end).replaceAll("\\s+", "");
                if (id.indexOf('@') > 0 && id.indexOf('@') < id.length() - 1) {
                    ids.add(id);
                }
                i = end;
            }
        }
        return ids;
    }
}

package org.osprey.imap;

import java.nio.charset.StandardCharsets;
import org.osprey.imap.parse.ModifiedUtf7;

/** Mailbox names in responses: modified UTF-7 (RFC 3501 §5.1.3), or UTF-8 once UTF8=ACCEPT or IMAP4rev2 is on. */
final class Names {
    private Names() {
    }

    static String encode(String name, boolean utf8) {
        String wire = utf8 ? name : ModifiedUtf7.encode(name);
        for (int i = 0; i < wire.length(); i++) {
            char c = wire.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return "{" + wire.getBytes(StandardCharsets.UTF_8).length + "}\r\n" + wire;
            }
        }
        return quote(wire);
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }
}

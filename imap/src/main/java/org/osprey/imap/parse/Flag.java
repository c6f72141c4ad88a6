package org.osprey.imap.parse;

import java.util.List;

/**
 * A message flag: a system flag ({@code \Seen}, always in its canonical case, RFC 3501 §2.3.2: system flags are
 * case-insensitive) or a keyword ({@code $Forwarded}, {@code NonJunk}, kept as the client wrote it).
 */
public record Flag(String name) {
    public static final Flag ANSWERED = new Flag("\\Answered");
    public static final Flag FLAGGED = new Flag("\\Flagged");
    public static final Flag DELETED = new Flag("\\Deleted");
    public static final Flag SEEN = new Flag("\\Seen");
    public static final Flag DRAFT = new Flag("\\Draft");
    /** Session-only flag of IMAP4rev1; clients can search for it but never set it. */
    public static final Flag RECENT = new Flag("\\Recent");

    private static final List<Flag> SYSTEM = List.of(ANSWERED, FLAGGED, DELETED, SEEN, DRAFT, RECENT);

    public Flag {
        String body = name.startsWith("\\") ? name.substring(1) : name;
        if (body.isEmpty()) {
            throw new IllegalArgumentException("empty flag");
        }
        for (int i = 0; i < body.length(); i++) {
            if (!Cursor.isAtomChar(body.charAt(i))) {
                throw new IllegalArgumentException("invalid character in flag");
            }
        }
    }

    /** The flag named by {@code text}, with system flags in canonical case. */
    public static Flag of(String text) {
        for (Flag flag : SYSTEM) {
            if (flag.name.equalsIgnoreCase(text)) {
                return flag;
            }
        }
        return new Flag(text);
    }

    /** True for flags starting with a backslash (system flags and the reserved flag-extension form). */
    public boolean isSystem() {
        return name.startsWith("\\");
    }

    /** True for the five system flags a client may set (RFC 3501 §2.3.2, without {@code \Recent}). */
    public boolean isSettableSystemFlag() {
        return SYSTEM.contains(this) && !this.equals(RECENT);
    }

    @Override
    public String toString() {
        return name;
    }
}

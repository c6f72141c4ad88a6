package org.osprey.delivery;

/**
 * One place a message must reach: a local mailbox, or a remote address (for the outbound queue). {@code original}
 * is the recipient the sender gave (an alias, a subaddress), kept for the log and Delivered-To.
 */
public record Target(Kind kind, String address, String original) {
    public enum Kind { LOCAL, REMOTE }

    /** The key used in the state file and the log: "local:john@example.org". */
    public String key() {
        return kind.name().toLowerCase() + ":" + address;
    }
}

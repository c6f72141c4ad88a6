package org.osprey.directory;

import org.osprey.core.address.EmailAddress;

/** A mailbox: its address, its Dovecot-style password string, its quota in bytes (0 = unlimited), and whether it may log in. */
public record Mailbox(EmailAddress address, String passwordHash, long quotaBytes, boolean enabled) {
    @Override
    public String toString() {
        return "Mailbox[" + address + ", quota=" + quotaBytes + ", enabled=" + enabled + "]";
    }
}

package org.osprey.store;

import org.osprey.core.address.EmailAddress;

/** Published after a message became visible in a folder (IMAP IDLE wakes on it). folder is "INBOX", "Junk", ... */
public record MessageDelivered(EmailAddress mailbox, String folder, String fileName) {
}

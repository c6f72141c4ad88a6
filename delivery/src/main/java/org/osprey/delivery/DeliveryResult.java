package org.osprey.delivery;

/** What one attempt at one target gave. */
public sealed interface DeliveryResult {
    /** Done; detail says where, for the log ("delivered to maildir INBOX"). */
    record Delivered(String detail) implements DeliveryResult {
    }

    /** Try again later. */
    record Deferred(String reason) implements DeliveryResult {
    }

    /** Will never work (the mailbox is gone); the sender is to be told. */
    record Failed(String reason) implements DeliveryResult {
    }
}

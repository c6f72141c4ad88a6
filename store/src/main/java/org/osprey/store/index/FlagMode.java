package org.osprey.store.index;

/** How STORE combines the given flags with a message's flags (RFC 9051 §6.4.6: FLAGS, +FLAGS, -FLAGS). */
public enum FlagMode {
    SET, ADD, REMOVE
}

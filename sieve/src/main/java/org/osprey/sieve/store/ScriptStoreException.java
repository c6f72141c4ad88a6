package org.osprey.sieve.store;

/**
 * A script operation refused for a reason the user caused and can be told about: a bad name, a script that is
 * missing or already there, the active script, or a limit. ManageSieve maps {@link #reason()} to its response code.
 */
public final class ScriptStoreException extends Exception {

    /** Why the operation was refused; each maps to one RFC 5804 response code (none for INVALID_NAME). */
    public enum Reason {
        INVALID_NAME,
        NONEXISTENT,
        ALREADY_EXISTS,
        /** The script is the active one and may not be deleted. */
        ACTIVE,
        /** One script over the per-script size limit. */
        QUOTA_MAXSIZE,
        /** A new script over the number of scripts allowed. */
        QUOTA_MAXSCRIPTS,
        /** All scripts together over the storage allowed. */
        QUOTA_STORAGE
    }

    private final Reason reason;

    public ScriptStoreException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

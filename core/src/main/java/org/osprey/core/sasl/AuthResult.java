package org.osprey.core.sasl;

/** The outcome of a login attempt, mapped by each protocol to its own replies. */
public sealed interface AuthResult {

    /** Logged in; account is the canonical address. */
    record Success(String account) implements AuthResult {
    }

    /** Wrong name or password, or a disabled account; the client learns nothing more. */
    record Failure() implements AuthResult {
    }

    /** The directory could not be asked (database down): a temporary error, not counted as a failure. */
    record Unavailable() implements AuthResult {
    }

    /** Too many failures from this client or for this account: try again later (a temporary error). */
    record Blocked() implements AuthResult {
    }
}

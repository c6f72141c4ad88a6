package org.osprey.sieve;

/**
 * The memory behind the duplicate test (RFC 7352). The interpreter only asks; recording is the caller's, after the
 * message was delivered, from {@link SieveResult#duplicateMarks()} (RFC 7352 §3: only a successful execution may
 * add to the list, or a failed delivery would make its retry a "duplicate").
 */
@FunctionalInterface
public interface DuplicateTracker {
    /** Remembers nothing: no message is a duplicate. */
    DuplicateTracker NONE = (handle, id) -> false;

    /** Whether {@code id} was recorded under {@code handle} ("" when none) and has not expired. */
    boolean isDuplicate(String handle, String id);
}

package org.osprey.directory.password;

/**
 * What checking one stored value gave. MALFORMED is kept apart from MISMATCH because only a broken
 * stored value is the admin's problem and worth a log line; a wrong password is routine.
 */
enum Outcome {
    MATCH,
    MISMATCH,
    MALFORMED;

    static Outcome of(boolean matches) {
        return matches ? MATCH : MISMATCH;
    }
}

package org.osprey.core.sasl;

import java.util.Optional;

/**
 * Checks a login name and password against the directory. Lives in core so that every protocol can authenticate
 * without depending on the directory module; the directory provides the implementation.
 */
@FunctionalInterface
public interface CredentialChecker {

    /** The canonical account name (e.g. "john@example.org") when the password is right and the account enabled. */
    Optional<String> check(String username, String password);
}

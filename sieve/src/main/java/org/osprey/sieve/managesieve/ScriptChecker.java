package org.osprey.sieve.managesieve;

import java.util.Optional;

/**
 * Validates a script before ManageSieve stores it (PUTSCRIPT) or for CHECKSCRIPT: the Sieve compiler behind a
 * one-method seam, so the protocol can be tested without it. Must be thread safe; sessions call it concurrently.
 */
@FunctionalInterface
public interface ScriptChecker {

    /**
     * The error that makes the script unusable, as one line for the user (e.g. {@code line 3, column 5: unknown test
     * "hedaer"}), or empty when the script compiles.
     */
    Optional<String> check(String scriptText);
}

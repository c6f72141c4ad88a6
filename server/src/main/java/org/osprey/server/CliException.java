package org.osprey.server;

/** A command refused with one line for stderr and exit status 1. */
final class CliException extends Exception {
    CliException(String message) {
        super(message);
    }
}

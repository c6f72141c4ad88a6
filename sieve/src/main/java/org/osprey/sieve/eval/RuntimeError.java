package org.osprey.sieve.eval;

import org.osprey.sieve.syntax.Position;

/** A failure while a script runs (RFC 5228 §2.10.6): processing stops and the message is kept. */
final class RuntimeError extends RuntimeException {
    private final transient Position position;

    RuntimeError(Position position, String message) {
        super(message, null, false, false);
        this.position = position;
    }

    Position position() {
        return position;
    }
}

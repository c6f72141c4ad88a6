package org.osprey.core.sasl;

/** A malformed or cancelled SASL exchange; protocols answer it with their "bad syntax"/"cancelled" reply. */
public final class SaslException extends Exception {
    public SaslException(String message) {
        super(message);
    }
}

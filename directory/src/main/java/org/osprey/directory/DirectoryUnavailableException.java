package org.osprey.directory;

/** The database did not answer a lookup; protocols turn this into a temporary failure (4xx), never a rejection. */
public final class DirectoryUnavailableException extends RuntimeException {
    public DirectoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

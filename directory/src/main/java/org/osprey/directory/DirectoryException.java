package org.osprey.directory;

/** A change the directory refuses (duplicate, unknown domain, ...), or an unreachable database; one clear line. */
public final class DirectoryException extends Exception {
    public DirectoryException(String message) {
        super(message);
    }

    public DirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}

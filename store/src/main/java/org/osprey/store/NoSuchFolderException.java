package org.osprey.store;

import java.io.IOException;

/** A delivery named a folder that does not exist and was not allowed to create it (Sieve fileinto without :create). */
public final class NoSuchFolderException extends IOException {
    public NoSuchFolderException(String folder) {
        super("no such folder: " + folder);
    }
}

package org.osprey.core.net;

import java.io.IOException;

/** A line longer than the protocol allows; its rest has been read and thrown away, so the session can go on. */
public final class LineTooLongException extends IOException {
    public LineTooLongException(int limit) {
        super("line longer than " + limit + " bytes");
    }
}

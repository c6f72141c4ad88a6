package org.osprey.core.net;

import java.io.IOException;

/** The client sent more refused lines than the protocol allows; the base says goodbye and closes. */
public final class TooManyErrorsException extends IOException {
    public TooManyErrorsException() {
        super("too many errors");
    }
}

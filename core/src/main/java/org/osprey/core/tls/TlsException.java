package org.osprey.core.tls;

import java.io.Serial;

/**
 * The server certificate or key cannot be used. The message is one line that names the file and the problem, ready
 * to be shown to the administrator at start-up as is.
 */
public final class TlsException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}

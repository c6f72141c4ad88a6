package org.osprey.delivery.remote;

import java.io.IOException;
import java.io.Serial;

/** The server sent something that is not SMTP; the connection cannot be trusted to be in step any more. */
final class SmtpProtocolException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    SmtpProtocolException(String message) {
        super(message);
    }
}

package org.osprey.smtp;

import java.util.Map;

/** One parsed SMTP command (RFC 5321 §4.1). Paths are kept as text here; the session validates addresses. */
public sealed interface SmtpCommand {

    record Helo(String domain, boolean extended) implements SmtpCommand {
    }

    /** sender is "" for the null reverse-path {@code <>}; parameter keys are upper case. */
    record Mail(String sender, Map<String, String> parameters) implements SmtpCommand {
    }

    record Rcpt(String recipient, Map<String, String> parameters) implements SmtpCommand {
    }

    record Data() implements SmtpCommand {
    }

    /** RFC 3030 CHUNKING. */
    record Bdat(long size, boolean last) implements SmtpCommand {
    }

    record Rset() implements SmtpCommand {
    }

    record Noop() implements SmtpCommand {
    }

    record Quit() implements SmtpCommand {
    }

    record Help() implements SmtpCommand {
    }

    record Vrfy() implements SmtpCommand {
    }

    record StartTls() implements SmtpCommand {
    }

    record Auth(String mechanism, String initialResponse) implements SmtpCommand {
    }
}

package org.osprey.filter;

import java.net.InetAddress;
import java.util.Optional;

/** What a check knows of the SMTP client: its address, its HELO name (once given), TLS, and authentication. */
public record SmtpFacts(InetAddress client, Optional<String> helo, boolean tls, Optional<String> authenticatedUser) {
}

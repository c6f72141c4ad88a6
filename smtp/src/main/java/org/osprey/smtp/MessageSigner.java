package org.osprey.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Signs a submitted message before it is queued (DKIM): given the sender's From: domain and the message as it
 * will be sent, the header lines to put on top. The message is read once and not kept.
 */
@FunctionalInterface
public interface MessageSigner {
    MessageSigner NONE = (domain, message) -> List.of();

    List<String> sign(String fromDomain, InputStream message) throws IOException;
}

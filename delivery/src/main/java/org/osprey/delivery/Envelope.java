package org.osprey.delivery;

import java.util.List;

/**
 * What the SMTP dialogue established about a message: who sent it from where, and where it must go. Written at
 * the end of the spool file when the message is committed, and never changed after the 250 reply.
 *
 * @param sender     the MAIL FROM address, "" for the null sender {@code <>}
 * @param recipients the RCPT TO addresses as given
 * @param targets    the deduplicated delivery targets that alias expansion gave for them
 * @param headers    header lines to add at delivery (e.g. from content checks), without line endings
 * @param size       the message size in bytes as received (CRLF)
 */
public record Envelope(String id, long arrivalMillis, String sender, List<String> recipients, List<Target> targets,
                       String clientAddress, String helo, String protocol, boolean smtpUtf8, String body,
                       List<String> headers, long size) {
}

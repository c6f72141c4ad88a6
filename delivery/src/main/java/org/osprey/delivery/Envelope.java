package org.osprey.delivery;

import java.util.List;
import java.util.Set;

/**
 * What the SMTP dialogue established about a message: who sent it from where, and where it must go. Written at
 * the end of the spool file when the message is committed, and never changed after the 250 reply.
 *
 * @param sender     the MAIL FROM address, "" for the null sender {@code <>}
 * @param recipients the RCPT TO addresses as given
 * @param targets    the deduplicated delivery targets that alias expansion gave for them
 * @param headers    header lines to add at delivery (e.g. from content checks), without line endings
 * @param size       the message size in bytes as received (CRLF)
 * @param removedFields header fields of the message as received that delivery leaves out, by position (0 = the
 *                   first); content checks remove X-Spam-* and forged Authentication-Results this way
 */
public record Envelope(String id, long arrivalMillis, String sender, List<String> recipients, List<Target> targets,
                       String clientAddress, String helo, String protocol, boolean smtpUtf8, String body,
                       List<String> headers, long size, Set<Integer> removedFields) {
    public Envelope {
        removedFields = removedFields == null ? Set.of() : Set.copyOf(removedFields); // null: a spool file from before
    }

    public Envelope(String id, long arrivalMillis, String sender, List<String> recipients, List<Target> targets,
                    String clientAddress, String helo, String protocol, boolean smtpUtf8, String body,
                    List<String> headers, long size) {
        this(id, arrivalMillis, sender, recipients, targets, clientAddress, helo, protocol, smtpUtf8, body, headers,
                size, Set.of());
    }
}

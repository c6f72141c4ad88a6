package org.osprey.delivery.bounce;

import java.util.Objects;
import java.util.Optional;

/**
 * One recipient a delivery status notification reports on.
 *
 * @param address   where delivery was tried (the target after alias expansion); Final-Recipient
 * @param original  the address the sender gave (RCPT TO); Original-Recipient when it differs from {@code address}
 * @param reason    why it failed or waits, as the delivery agents write it: an RFC 3463 enhanced status code, then
 *                  text, e.g. "5.1.1 host mx.example.net[192.0.2.1] said: 550 5.1.1 user unknown (in reply to RCPT
 *                  TO command)"
 * @param remoteMta the host name of the server that answered, when known; without it, one named in the reason
 *                  ("host NAME[...]") is used
 */
public record DsnRecipient(String address, String original, String reason, Optional<String> remoteMta) {
    public DsnRecipient {
        Objects.requireNonNull(address, "address");
        original = original == null || original.isEmpty() ? address : original;
        reason = reason == null ? "" : reason;
        remoteMta = remoteMta == null ? Optional.empty() : remoteMta;
    }

    public DsnRecipient(String address, String original, String reason) {
        this(address, original, reason, Optional.empty());
    }
}

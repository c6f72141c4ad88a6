package org.osprey.filter.spam.rules;

import java.util.List;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.mail.ParsedMessage;

/**
 * What the rules look at: the SMTP client (null when a message is scored from a file), the envelope (sender "" for
 * a bounce), the parsed message, and our own host name as written in our Received lines ("" when unknown).
 */
public record RuleContext(SmtpFacts facts, String sender, List<String> recipients, ParsedMessage message,
                          String receivedBy) {
    public RuleContext {
        sender = sender == null ? "" : sender;
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
        receivedBy = receivedBy == null ? "" : receivedBy;
    }
}

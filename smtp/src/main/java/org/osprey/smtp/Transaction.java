package org.osprey.smtp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osprey.delivery.Spool;
import org.osprey.delivery.Target;

/**
 * One mail transaction: from MAIL to the end of DATA/BDAT LAST. RSET, a new MAIL or the end of the message replace
 * the whole object; nothing is reset field by field.
 */
final class Transaction {
    final String sender;
    final long declaredSize;
    final boolean smtpUtf8;
    final String body;
    final List<String> recipients = new ArrayList<>();
    /** Targets by key, so a mailbox reached through two recipients gets one copy. */
    final Map<String, Target> targets = new LinkedHashMap<>();
    /** While BDAT chunks arrive: the message being spooled, and whether a chunk was refused. */
    Spool.Incoming chunked;
    MessageSink chunkSink;
    SmtpReply chunkError;

    Transaction(String sender, long declaredSize, boolean smtpUtf8, String body) {
        this.sender = sender;
        this.declaredSize = declaredSize;
        this.smtpUtf8 = smtpUtf8;
        this.body = body;
    }

    void addRecipient(String recipient, List<Target> resolved) {
        recipients.add(recipient);
        for (Target target : resolved) {
            targets.putIfAbsent(target.key(), target);
        }
    }

    void discard() {
        if (chunked != null) {
            chunked.abort();
            chunked = null;
        }
    }
}

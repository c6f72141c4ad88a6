package org.osprey.sieve.eval;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.osprey.sieve.message.AddressParser;
import org.osprey.sieve.message.HeaderField;
import org.osprey.sieve.message.MailAddress;
import org.osprey.sieve.message.MessageHeader;

/**
 * The checks of RFC 5230 that decide whether a vacation reply may be sent at all, using only the message: a sender
 * to reply to (§4.1), not an automated address (§4.6), not the user itself, not a mailing list message (List-*
 * fields, Precedence bulk/list/junk), not an auto-submitted message (RFC 3834), and one of the user's addresses in
 * To, Cc, Bcc or Resent-To/-Cc/-Bcc (§4.5). Each refusal is a sentence saying why.
 */
final class VacationRules {
    private static final List<String> LIST_FIELDS = List.of("List-Id", "List-Help", "List-Subscribe",
            "List-Unsubscribe", "List-Post", "List-Owner", "List-Archive");
    private static final List<String> RECIPIENT_FIELDS = List.of("To", "Cc", "Bcc", "Resent-To", "Resent-Cc",
            "Resent-Bcc");
    private static final Set<String> AUTOMATED = Set.of("mailer-daemon", "listserv", "majordomo", "noreply",
            "no-reply", "do-not-reply", "donotreply");

    private VacationRules() {
    }

    /** Why no reply may be sent, or null when one may. {@code own} holds the user's addresses, lower-case. */
    static String refusal(String sender, MessageHeader header, Set<String> own) {
        if (sender.isEmpty()) {
            return "the envelope sender is empty (<>)";
        }
        MailAddress from = AddressParser.parseEnvelope(sender);
        String local = from.valid() ? from.localPart().toLowerCase(Locale.ROOT) : sender.toLowerCase(Locale.ROOT);
        if (AUTOMATED.contains(local) || local.startsWith("owner-") || local.endsWith("-request")
                || local.endsWith("-bounces")) {
            return "the sender " + sender + " is an automated address";
        }
        if (own.contains(normalized(from))) {
            return "the sender is the recipient itself";
        }
        String autoSubmitted = header.first("Auto-Submitted");
        if (autoSubmitted != null && !autoSubmitted.split("[;(]", 2)[0].strip().equalsIgnoreCase("no")) {
            return "the message is Auto-Submitted: " + autoSubmitted;
        }
        for (String field : LIST_FIELDS) {
            if (header.has(field)) {
                return "the message came from a mailing list (it has " + field + ")";
            }
        }
        String precedence = header.first("Precedence");
        if (precedence != null && Set.of("bulk", "list", "junk").contains(precedence.toLowerCase(Locale.ROOT))) {
            return "the message has Precedence: " + precedence;
        }
        for (String field : RECIPIENT_FIELDS) {
            for (HeaderField f : header.all(field)) {
                for (MailAddress address : f.addresses()) {
                    if (address.valid() && own.contains(normalized(address))) {
                        return null;
                    }
                }
            }
        }
        return "none of the user's addresses is in To, Cc, Bcc or Resent-To/-Cc/-Bcc";
    }

    /** An address as the comparison of own addresses sees it: addr-spec lower-cased. */
    static String normalized(MailAddress address) {
        return address.addrSpec().toLowerCase(Locale.ROOT);
    }
}

package org.osprey.sieve;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a script decided to do with the message. Folders are IMAP mailbox names as the script wrote them
 * ("INBOX.Lists", "Lists/x"), flags are IMAP flags ("\\Seen", "\\Flagged", keywords); a store action stores the
 * message with the header edits in effect when it ran ({@link SieveResult#editsFor(int)}).
 */
public sealed interface Action {
    /** Store in INBOX (explicit keep, or the implicit keep at the end). */
    record Keep(Set<String> flags) implements Action {
        public Keep {
            flags = copy(flags);
        }
    }

    /** Store in {@code folder}; with {@code create} (RFC 5490 :create) make the folder first when it is missing. */
    record FileInto(String folder, Set<String> flags, boolean create) implements Action {
        public FileInto {
            flags = copy(flags);
        }
    }

    /** Forward the message unchanged to {@code address} (an addr-spec); {@code copy} when :copy was given. */
    record Redirect(String address, boolean copy) implements Action {
    }

    /** Refuse the message, preferably with an MDN-style bounce that carries the reason verbatim (RFC 5429 §2.2). */
    record Reject(String reason) implements Action {
    }

    /** Refuse the message, preferably in the SMTP/LMTP dialogue with a 5xx reply (RFC 5429 §2.1). */
    record Ereject(String reason) implements Action {
    }

    /** Nothing at all happens to the message: only present when no other action stores, sends or refuses it. */
    record Discard() implements Action {
    }

    /**
     * Send an automatic reply (RFC 5230), unless one went to {@code to} with the same {@code handle} within
     * {@code period}: that once-per-period check is the caller's, everything else (RFC 5230 §4.5, §4.6) was checked.
     *
     * @param to         the reply's recipient: the envelope sender of the message
     * @param from       the reply's From (the :from address, else the user's address)
     * @param subject    the reply's Subject, not yet RFC 2047-encoded
     * @param body       the reason text, or with {@code mime} a whole MIME entity (headers and content)
     * @param period     how long to stay silent towards {@code to} after replying (may be zero with :seconds 0)
     * @param handle     the response's identity for that tracking (:handle, or derived from the arguments)
     * @param addresses  the :addresses the script gave
     * @param inReplyTo  the original Message-ID for In-Reply-To, or "" when it had none
     * @param references the References for the reply: the original's References and Message-ID, or ""
     */
    record Vacation(String to, String from, String subject, String body, boolean mime, Duration period, String handle,
                    List<String> addresses, String inReplyTo, String references) implements Action {
        public Vacation {
            addresses = List.copyOf(addresses);
        }
    }

    private static Set<String> copy(Set<String> flags) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(flags));
    }
}

package org.osprey.sieve;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Everything an evaluation knows about the message and its delivery.
 *
 * @param envelopeFrom  the SMTP MAIL FROM address, "" for the null sender {@code <>}
 * @param envelopeTo    the RCPT TO address that brought the message to this user, as given
 *                      ("john+tag@example.org"): the envelope "to" of RFC 5228 §5.4, where :detail is found
 * @param recipient     the final mailbox address ("john@example.org"): the vacation From and one of the user's
 *                      own addresses
 * @param userAddresses more addresses known to be the user's (aliases), for vacation's "is this mail to me" check
 * @param message       the message, re-openable, CRLF line ends
 * @param size          its size in octets, for the size test
 * @param spamPercent   the content checks' spam score as 0 (surely not spam) to 100 (surely spam), empty when the
 *                      message was not checked; spamtest :percent reports it, spamtest maps it to 1..10 (RFC 5235)
 * @param virusLevel    the virus check's verdict as RFC 5235 §3.3's 1 (clean) to 5 (infected), empty when not checked
 * @param clock         now, for currentdate; its zone is the local zone of the date tests (RFC 5260 §4.1)
 * @param duplicates    the duplicate test's memory
 * @param mailboxes     the mailboxexists test's view of the user's folders
 * @param limits        the policy limits
 */
public record MessageContext(String envelopeFrom, String envelopeTo, String recipient, List<String> userAddresses,
                             MessageSource message, long size, OptionalInt spamPercent, OptionalInt virusLevel,
                             Clock clock, DuplicateTracker duplicates, MailboxChecker mailboxes, SieveLimits limits) {
    public MessageContext {
        Objects.requireNonNull(envelopeFrom, "envelopeFrom");
        Objects.requireNonNull(envelopeTo, "envelopeTo");
        Objects.requireNonNull(recipient, "recipient");
        userAddresses = List.copyOf(userAddresses);
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(spamPercent, "spamPercent");
        Objects.requireNonNull(virusLevel, "virusLevel");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(duplicates, "duplicates");
        Objects.requireNonNull(mailboxes, "mailboxes");
        Objects.requireNonNull(limits, "limits");
    }

    /** A context for {@code message} of {@code size} octets with defaults: no envelope, no checks, system clock. */
    public static Builder builder(MessageSource message, long size) {
        return new Builder(message, size);
    }

    /** Builds a {@link MessageContext}; every setting has a default. */
    public static final class Builder {
        private final MessageSource message;
        private final long size;
        private String envelopeFrom = "";
        private String envelopeTo = "";
        private String recipient = "";
        private List<String> userAddresses = List.of();
        private OptionalInt spamPercent = OptionalInt.empty();
        private OptionalInt virusLevel = OptionalInt.empty();
        private Clock clock = Clock.systemDefaultZone();
        private DuplicateTracker duplicates = DuplicateTracker.NONE;
        private MailboxChecker mailboxes = MailboxChecker.INBOX_ONLY;
        private SieveLimits limits = SieveLimits.DEFAULT;

        private Builder(MessageSource message, long size) {
            this.message = message;
            this.size = size;
        }

        public Builder envelopeFrom(String address) {
            this.envelopeFrom = address;
            return this;
        }

        /** The original recipient; also the final {@link #recipient} unless that is set too. */
        public Builder envelopeTo(String address) {
            this.envelopeTo = address;
            return this;
        }

        public Builder recipient(String address) {
            this.recipient = address;
            return this;
        }

        public Builder userAddresses(List<String> addresses) {
            this.userAddresses = addresses;
            return this;
        }

        public Builder spamPercent(int percent) {
            this.spamPercent = OptionalInt.of(Math.clamp(percent, 0, 100));
            return this;
        }

        public Builder virusLevel(int level) {
            this.virusLevel = OptionalInt.of(Math.clamp(level, 1, 5));
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder duplicates(DuplicateTracker tracker) {
            this.duplicates = tracker;
            return this;
        }

        public Builder mailboxes(MailboxChecker checker) {
            this.mailboxes = checker;
            return this;
        }

        public Builder limits(SieveLimits limits) {
            this.limits = limits;
            return this;
        }

        public MessageContext build() {
            return new MessageContext(envelopeFrom, envelopeTo, recipient.isEmpty() ? envelopeTo : recipient,
                    userAddresses, message, size, spamPercent, virusLevel, clock, duplicates, mailboxes, limits);
        }
    }
}

package org.osprey.filter;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The hook points of the SMTP dialogue where content checks run (DNSBL at connect, HELO sanity, SPF at MAIL,
 * greylisting at RCPT, spam and virus scanning at the end of DATA, before the final reply). Each method answers
 * with a {@link Verdict}; the defaults accept, and {@link #NONE} is the pipeline with no checks.
 */
public interface InboundChecks {
    InboundChecks NONE = new InboundChecks() {
    };

    default Verdict connect(SmtpFacts facts) {
        return Verdict.ACCEPT;
    }

    default Verdict helo(SmtpFacts facts) {
        return Verdict.ACCEPT;
    }

    default Verdict mail(SmtpFacts facts, String sender) {
        return Verdict.ACCEPT;
    }

    default Verdict rcpt(SmtpFacts facts, String sender, String recipient) {
        return Verdict.ACCEPT;
    }

    /**
     * At the end of DATA/BDAT LAST, with the whole message readable from {@code message}. A check tells the spam
     * score what it found through {@code findings}.
     */
    default Verdict data(SmtpFacts facts, String sender, List<String> recipients, MessageAccess message,
                         Findings findings) {
        return Verdict.ACCEPT;
    }

    /**
     * True for a check that weighs the others' findings (the spam score): it runs after every other check of the
     * DATA stage has finished. The others run at the same time, since most of them wait on the network.
     */
    default boolean weighsFindings() {
        return false;
    }

    /**
     * True for a check whose answer the message must not go without (virus scanning): if the pipeline's time
     * budget runs out before it answers, the message is refused for now (451) instead of accepted unchecked.
     */
    default boolean mustFinish() {
        return false;
    }

    /** Opens the received message (CRLF, as it will be queued) from its first byte. */
    @FunctionalInterface
    interface MessageAccess {
        InputStream open() throws IOException;
    }
}

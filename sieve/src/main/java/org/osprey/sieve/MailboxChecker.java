package org.osprey.sieve;

/** Answers the mailboxexists test (RFC 5490 §3.1): does the user have this mailbox and may mail be filed into it. */
@FunctionalInterface
public interface MailboxChecker {
    /** Knows only INBOX. */
    MailboxChecker INBOX_ONLY = mailbox -> mailbox.equalsIgnoreCase("INBOX");

    boolean exists(String mailbox);
}

package org.osprey.sieve.program;

import java.util.Locale;
import java.util.Optional;

/**
 * The extensions a script can {@code require} (RFC 5228 §3.2), each with its capability string. A script may use
 * an extension's commands, tests and tags only after requiring it; {@code vacation-seconds} implies
 * {@code vacation} (RFC 6131 §2).
 */
public enum Capability {
    FILEINTO("fileinto"),
    REJECT("reject"),
    EREJECT("ereject"),
    ENVELOPE("envelope"),
    ENCODED_CHARACTER("encoded-character"),
    IMAP4FLAGS("imap4flags"),
    COPY("copy"),
    BODY("body"),
    VARIABLES("variables"),
    VACATION("vacation"),
    VACATION_SECONDS("vacation-seconds"),
    RELATIONAL("relational"),
    COMPARATOR_OCTET("comparator-i;octet"),
    COMPARATOR_ASCII_CASEMAP("comparator-i;ascii-casemap"),
    COMPARATOR_ASCII_NUMERIC("comparator-i;ascii-numeric"),
    SUBADDRESS("subaddress"),
    DATE("date"),
    INDEX("index"),
    MAILBOX("mailbox"),
    SPAMTEST("spamtest"),
    SPAMTESTPLUS("spamtestplus"),
    VIRUSTEST("virustest"),
    DUPLICATE("duplicate"),
    EDITHEADER("editheader"),
    INCLUDE("include"),
    REGEX("regex");

    private final String identifier;

    Capability(String identifier) {
        this.identifier = identifier;
    }

    /** The capability string, as in {@code require} and the ManageSieve SIEVE capability. */
    public String identifier() {
        return identifier;
    }

    /** Capability strings are case-sensitive per RFC 5228 §6.1, but are all lower-case. */
    public static Optional<Capability> of(String identifier) {
        for (Capability capability : values()) {
            if (capability.identifier.equals(identifier)) {
                return Optional.of(capability);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return identifier.toLowerCase(Locale.ROOT);
    }
}

package org.osprey.pop3;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osprey.core.config.Config;
import org.osprey.core.net.Connection;
import org.osprey.core.net.Protocol;
import org.osprey.core.sasl.Authenticator;
import org.osprey.directory.Directory;
import org.osprey.store.MailboxLayout;
import org.osprey.store.MailboxSignals;
import org.osprey.store.index.FolderIndexes;

/**
 * POP3 (RFC 1939, 2449, 2595, 5034) as the connection base runs it. The maildrop is the user's INBOX as the
 * IMAP server sees it, through the same shared folder index; one POP3 session per user at a time.
 */
public final class Pop3Protocol implements Protocol {
    /** RFC 2449 §4: a command line is at most 255 octets; AUTH's initial response needs more. */
    static final int MAX_LINE = 8 * 1024;

    final String hostname;
    final Config.Pop3 limits;
    final boolean plaintextWithoutTls;
    final Authenticator authenticator;
    final Directory directory;
    final MailboxLayout layout;
    final FolderIndexes indexes;
    final MailboxSignals signals;
    /** Accounts with a POP3 session in the TRANSACTION state (RFC 1939 §8: the maildrop is locked). */
    final Set<String> inUse = ConcurrentHashMap.newKeySet();

    public Pop3Protocol(String hostname, Config.Pop3 limits, boolean plaintextWithoutTls,
                        Authenticator authenticator, Directory directory, MailboxLayout layout,
                        FolderIndexes indexes, MailboxSignals signals) {
        this.hostname = hostname;
        this.limits = limits;
        this.plaintextWithoutTls = plaintextWithoutTls;
        this.authenticator = authenticator;
        this.directory = directory;
        this.layout = layout;
        this.indexes = indexes;
        this.signals = signals;
    }

    @Override
    public String name() {
        return "pop3";
    }

    /** A RETR loop waits for every reply; a few hundred platform threads keep that round trip short. */
    @Override
    public int platformThreadLimit() {
        return 200;
    }

    @Override
    public void serve(Connection connection) throws IOException {
        new Pop3Session(this, connection).run();
    }

    @Override
    public String tooManyConnectionsReply() {
        return "-ERR [SYS/TEMP] Too many connections from your address\r\n";
    }

    @Override
    public String timeoutReply() {
        return "-ERR Disconnected for inactivity\r\n";
    }

    @Override
    public String lineTooLongReply() {
        return "-ERR Line too long\r\n";
    }

    @Override
    public String tooManyErrorsReply() {
        return "-ERR Too many bad commands\r\n";
    }

    @Override
    public int maxFramingErrors() {
        return limits.maxErrors();
    }

    @Override
    public String shutdownReply() {
        return "-ERR [SYS/TEMP] Server shutting down\r\n";
    }

    @Override
    public Duration idleTimeout() {
        return limits.timeout();
    }

    @Override
    public int maxLineLength() {
        return MAX_LINE;
    }
}

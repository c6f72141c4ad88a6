package org.osprey.imap;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.osprey.core.config.Config;
import org.osprey.core.net.Connection;
import org.osprey.core.net.Protocol;
import org.osprey.core.sasl.Authenticator;
import org.osprey.directory.Directory;
import org.osprey.store.MailboxSignals;
import org.osprey.store.MailboxLayout;
import org.osprey.store.index.FolderIndexes;
import org.osprey.store.search.FullTextIndexes;

/**
 * IMAP4rev1/IMAP4rev2 as the connection base runs it: what every session shares (the directory, the folder
 * indexes, the full-text indexes, the change signals) and the replies the base sends on the protocol's behalf.
 */
public final class ImapProtocol implements Protocol {
    /** The longest command line; literals are counted by the parser's own limits. */
    static final int MAX_LINE = 64 * 1024;

    final String hostname;
    final Config.Imap limits;
    final boolean plaintextWithoutTls;
    final Authenticator authenticator;
    final Directory directory;
    final MailboxLayout layout;
    final FolderIndexes indexes;
    final FullTextIndexes fullText;
    final MailboxSignals signals;
    final Path tempDir;
    final ZoneId zone;

    public ImapProtocol(String hostname, Config.Imap limits, boolean plaintextWithoutTls, Authenticator authenticator,
                        Directory directory, MailboxLayout layout, FolderIndexes indexes, FullTextIndexes fullText,
                        MailboxSignals signals, Path tempDir) {
        this.hostname = hostname;
        this.limits = limits;
        this.plaintextWithoutTls = plaintextWithoutTls;
        this.authenticator = authenticator;
        this.directory = directory;
        this.layout = layout;
        this.indexes = indexes;
        this.fullText = fullText;
        this.signals = signals;
        this.tempDir = tempDir;
        this.zone = ZoneId.systemDefault();
    }

    @Override
    public String name() {
        return "imap";
    }

    @Override
    public void serve(Connection connection) throws IOException {
        new ImapSession(this, connection).run();
    }

    @Override
    public String tooManyConnectionsReply() {
        return "* BYE [UNAVAILABLE] Too many connections from your address\r\n";
    }

    @Override
    public String timeoutReply() {
        return "* BYE Autologout; idle for too long\r\n";
    }

    @Override
    public String lineTooLongReply() {
        return "* BAD [TOOBIG] Line too long\r\n";
    }

    @Override
    public String tooManyErrorsReply() {
        return "* BYE Too many invalid commands\r\n";
    }

    @Override
    public int maxFramingErrors() {
        return limits.maxErrors();
    }

    @Override
    public String shutdownReply() {
        return "* BYE [UNAVAILABLE] Server shutting down\r\n";
    }

    @Override
    public Duration idleTimeout() {
        return limits.autologout();
    }

    @Override
    public int maxLineLength() {
        return MAX_LINE;
    }
}

package org.osprey.sieve.managesieve;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.osprey.core.net.Connection;
import org.osprey.core.net.Protocol;
import org.osprey.core.sasl.Authenticator;
import org.osprey.sieve.store.ScriptStore;

/**
 * ManageSieve (RFC 5804), usually on port 4190 with STARTTLS, as the connection base runs it: users list, upload,
 * check, activate, download, rename and delete their Sieve scripts in the {@link ScriptStore}. Passwords (SASL PLAIN
 * and LOGIN) are taken only over TLS unless {@code plaintextWithoutTls} is set.
 */
public final class ManageSieveProtocol implements Protocol {
    public static final int DEFAULT_PORT = 4190;
    /** Command lines; quoted strings hold at most 1024 octets, so only a long SASL initial response comes near. */
    static final int MAX_LINE = 8 * 1024;
    /** A literal that is not a script: a name, a NOOP tag, a SASL response. */
    static final int MAX_STRING_LITERAL = 8 * 1024;

    final List<String> sieveExtensions;
    final int maxRedirects;
    final boolean plaintextWithoutTls;
    final Duration idleTimeout;
    final int maxErrors;
    final Authenticator authenticator;
    final ScriptStore store;
    final ScriptChecker checker;

    /**
     * @param sieveExtensions     what the interpreter supports, for the SIEVE capability ("fileinto", "vacation"...)
     * @param maxRedirects        the MAXREDIRECTS capability: redirects one script run may do
     * @param plaintextWithoutTls offer and accept passwords on connections without TLS (tests, a local proxy)
     * @param idleTimeout         how long a client may say nothing before it is disconnected
     * @param maxErrors           refused commands in a row before the connection is closed
     * @param checker             compiles a script for PUTSCRIPT and CHECKSCRIPT
     */
    public ManageSieveProtocol(List<String> sieveExtensions, int maxRedirects, boolean plaintextWithoutTls,
                               Duration idleTimeout, int maxErrors, Authenticator authenticator, ScriptStore store,
                               ScriptChecker checker) {
        this.sieveExtensions = List.copyOf(sieveExtensions);
        this.maxRedirects = maxRedirects;
        this.plaintextWithoutTls = plaintextWithoutTls;
        this.idleTimeout = idleTimeout;
        this.maxErrors = maxErrors;
        this.authenticator = authenticator;
        this.store = store;
        this.checker = checker;
    }

    @Override
    public String name() {
        return "managesieve";
    }

    @Override
    public void serve(Connection connection) throws IOException {
        new ManageSieveSession(this, connection).run();
    }

    @Override
    public String tooManyConnectionsReply() {
        return "BYE (TRYLATER) \"Too many connections from your address\"\r\n";
    }

    @Override
    public String timeoutReply() {
        return "BYE \"Disconnected for inactivity\"\r\n";
    }

    @Override
    public String lineTooLongReply() {
        return "NO \"Line too long\"\r\n";
    }

    @Override
    public String tooManyErrorsReply() {
        return "BYE \"Too many invalid commands\"\r\n";
    }

    @Override
    public int maxFramingErrors() {
        return maxErrors;
    }

    @Override
    public String shutdownReply() {
        return "BYE (TRYLATER) \"Server shutting down\"\r\n";
    }

    @Override
    public Duration idleTimeout() {
        return idleTimeout;
    }

    @Override
    public int maxLineLength() {
        return MAX_LINE;
    }

    /** The largest refused literal read and thrown away to stay in step; a larger one ends the connection. */
    long maxDrain() {
        return Math.max(1024 * 1024, 2 * store.limits().maxScriptSize());
    }
}

package org.osprey.smtp;

import java.io.IOException;
import java.time.Duration;
import org.osprey.core.config.Config;
import org.osprey.core.net.Connection;
import org.osprey.core.net.Protocol;
import org.osprey.delivery.DeliveryAgent;
import org.osprey.delivery.RecipientPolicy;
import org.osprey.delivery.Spool;
import org.osprey.filter.InboundChecks;

/**
 * SMTP as the connection base runs it. In MX mode (port 25) mail is accepted for our domains only and AUTH is not
 * offered; in submission mode (587/465, a {@link Submission} given) users log in and may send anywhere.
 */
public final class SmtpProtocol implements Protocol {
    /** The longest command line; RFC 5321 asks for 512, extensions (SMTPUTF8, parameters) need more. */
    static final int MAX_LINE = 2048;

    final String hostname;
    final Config.Smtp limits;
    final RecipientPolicy recipients;
    final Spool spool;
    final DeliveryAgent delivery;
    final InboundChecks checks;
    /** Null in MX mode. */
    final Submission submission;

    /** MX mode (port 25). */
    public SmtpProtocol(String hostname, Config.Smtp limits, RecipientPolicy recipients, Spool spool,
                        DeliveryAgent delivery, InboundChecks checks) {
        this(hostname, limits, recipients, spool, delivery, checks, null);
    }

    /** Submission mode when {@code submission} is not null. */
    public SmtpProtocol(String hostname, Config.Smtp limits, RecipientPolicy recipients, Spool spool,
                        DeliveryAgent delivery, InboundChecks checks, Submission submission) {
        this.submission = submission;
        this.hostname = hostname;
        this.limits = limits;
        this.recipients = recipients;
        this.spool = spool;
        this.delivery = delivery;
        this.checks = checks;
    }

    @Override
    public String name() {
        return submission == null ? "smtp" : "submission";
    }

    @Override
    public void serve(Connection connection) throws IOException {
        new SmtpSession(this, connection).run();
    }

    @Override
    public String tooManyConnectionsReply() {
        return "421 4.7.0 " + hostname + " Error: too many connections from your address\r\n";
    }

    @Override
    public String timeoutReply() {
        return "421 4.4.2 " + hostname + " Error: timeout exceeded\r\n";
    }

    @Override
    public String lineTooLongReply() {
        return "500 5.5.0 Error: line too long\r\n";
    }

    @Override
    public String tooManyErrorsReply() {
        return "421 4.7.0 " + hostname + " Error: too many errors\r\n";
    }

    @Override
    public int maxFramingErrors() {
        return limits.maxErrors();
    }

    @Override
    public String shutdownReply() {
        return "421 4.3.2 " + hostname + " Service shutting down, closing transmission channel\r\n";
    }

    @Override
    public Duration idleTimeout() {
        return limits.commandTimeout();
    }

    @Override
    public int maxLineLength() {
        return MAX_LINE;
    }
}

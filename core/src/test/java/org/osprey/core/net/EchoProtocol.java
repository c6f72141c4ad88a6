package org.osprey.core.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

/**
 * A tiny line protocol for testing the connection base. Replies start with "+OK" or "-ERR"; the replies the base
 * sends on the protocol's behalf are distinct strings so a test can tell who answered and why.
 */
final class EchoProtocol implements Protocol {
    static final String TOO_MANY = "-ERR too many connections";
    static final String TIMEOUT = "-ERR idle timeout";
    static final String TOO_LONG = "-ERR line too long";
    static final String SHUTDOWN = "-ERR shutting down";
    static final int MAX_LINE = 100;

    private final Duration idleTimeout;
    /** Sessions inside "SLOW n" right now, so a test can wait for a command to be in progress. */
    final AtomicInteger sleeping = new AtomicInteger();

    private final int platformThreadLimit;

    EchoProtocol(Duration idleTimeout) {
        this(idleTimeout, 0);
    }

    EchoProtocol(Duration idleTimeout, int platformThreadLimit) {
        this.idleTimeout = idleTimeout;
        this.platformThreadLimit = platformThreadLimit;
    }

    @Override
    public int platformThreadLimit() {
        return platformThreadLimit;
    }

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public void serve(Connection connection) throws IOException {
        connection.write("+OK hello " + connection.id() + "\r\n");
        connection.flush();
        while (true) {
            Line line = connection.readLine();
            String text = line.text();
            String verb = text.contains(" ") ? text.substring(0, text.indexOf(' ')) : text;
            String argument = text.substring(verb.length()).stripLeading();
            switch (verb) {
                case "ECHO" -> reply(connection, "+OK " + argument);
                case "STARTTLS" -> {
                    if (!connection.canStartTls()) {
                        reply(connection, "-ERR no TLS");
                    } else {
                        connection.write("+OK go ahead\r\n");
                        connection.flush();
                        connection.startTls();
                    }
                }
                case "TLS?" -> reply(connection, connection.tls()
                    .map(tls -> "+OK " + tls.protocol() + " " + tls.cipherSuite())
                    .orElse("+OK none"));
                case "BYTES?" -> reply(connection, "+OK crlf=" + line.crlf() + " bareCr=" + line.hasBareCr()
                    + " length=" + line.length());
                case "DATA" -> {
                    // raw bytes right after the command line, as an SMTP BDAT chunk or an IMAP literal
                    byte[] body = connection.input().readNBytes(Integer.parseInt(argument));
                    reply(connection, "+OK got " + new String(body, StandardCharsets.UTF_8).replace("\r\n", "|"));
                }
                case "SLOW" -> {
                    sleeping.incrementAndGet();
                    try {
                        Thread.sleep(Long.parseLong(argument));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } finally {
                        sleeping.decrementAndGet();
                    }
                    reply(connection, "+OK slept " + argument);
                }
                case "VIRTUAL?" -> reply(connection, "+OK " + Thread.currentThread().isVirtual());
                case "MDC?" -> reply(connection, "+OK " + MDC.get("conn"));
                case "FRAMING?" -> reply(connection, "+OK " + connection.framingErrors());
                case "BOOM" -> throw new IllegalStateException("boom, a bug in the session");
                case "QUIT" -> {
                    reply(connection, "+OK bye");
                    connection.flush();
                    return;
                }
                default -> reply(connection, "-ERR unknown " + verb);
            }
        }
    }

    /** Replies wait in the buffer while more pipelined commands are already here, as real protocols do. */
    private static void reply(Connection connection, String text) throws IOException {
        connection.write(text + "\r\n");
        if (!connection.hasBufferedInput()) {
            connection.flush();
        }
    }

    @Override
    public String tooManyConnectionsReply() {
        return TOO_MANY + "\r\n";
    }

    @Override
    public String timeoutReply() {
        return TIMEOUT + "\r\n";
    }

    @Override
    public String lineTooLongReply() {
        return TOO_LONG + "\r\n";
    }

    @Override
    public String tooManyErrorsReply() {
        return "-ERR too many errors\r\n";
    }

    @Override
    public int maxFramingErrors() {
        return 1000;
    }

    @Override
    public String shutdownReply() {
        return SHUTDOWN + "\r\n";
    }

    @Override
    public Duration idleTimeout() {
        return idleTimeout;
    }

    @Override
    public int maxLineLength() {
        return MAX_LINE;
    }
}

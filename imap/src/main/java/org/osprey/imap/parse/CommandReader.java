package org.osprey.imap.parse;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.osprey.core.net.Line;
import org.osprey.core.net.LineInput;

/**
 * Reads one IMAP command at a time from a client's {@link LineInput}: the first line, then for every literal the
 * command contains its announcement, the size check, the continuation (synchronizing literals only, RFC 3501 §7.5;
 * never for {@code {n+}}, RFC 7888), its bytes, and the line after it, until the command is complete. Sessions use it
 * as
 * <pre>{@code
 * CommandReader reader = new CommandReader(literals, limits);   // one per connection
 * while (true) {
 *     ImapCommand command;
 *     try {
 *         command = reader.read(connection.input());             // after STARTTLS the input is a new one
 *     } catch (ImapParseException e) {
 *         connection.write(e.response());
 *         if (e.fatal()) { connection.write("* BYE ...\r\n"); break; }
 *         continue;
 *     }
 *     ... process, reply ...
 * }
 * }</pre>
 *
 * <p>Contract: when {@link #read} returns, the whole command has been consumed and the input stands at the next
 * command. When it throws {@link ImapParseException}, the rest of the failed command has been consumed too (a
 * refused {@code {n+}} literal is read and dropped, within {@link ParserLimits#maxDrainBytes()}), unless the
 * exception is {@link ImapParseException#fatal() fatal}. Any {@link MessageData} received for a failed APPEND has
 * been closed. {@link EOFException} means the client closed the connection. Not thread-safe: one session uses it.
 */
public final class CommandReader {
    private final LiteralHandler literals;
    private final ParserLimits limits;
    private boolean utf8MailboxNames;

    public CommandReader(LiteralHandler literals, ParserLimits limits) {
        this.literals = literals;
        this.limits = limits;
    }

    /**
     * Mailbox names are UTF-8 rather than modified UTF-7 from now on: after ENABLE UTF8=ACCEPT (RFC 6855 §3) or
     * ENABLE IMAP4rev2 (RFC 9051 §5.1).
     */
    public void setUtf8MailboxNames(boolean utf8) {
        this.utf8MailboxNames = utf8;
    }

    public boolean utf8MailboxNames() {
        return utf8MailboxNames;
    }

    /** Reads the next command; empty lines before it are skipped. */
    public ImapCommand read(LineInput in) throws IOException {
        Cursor cursor = new Cursor(in, literals, limits);
        while (!cursor.firstLine()) {
            // an empty line is no command; some clients send one after a literal
        }
        CommandParser parser = new CommandParser(cursor, limits, utf8MailboxNames);
        try {
            return parser.command();
        } catch (ImapParseException e) {
            cursor.discardReceived();
            boolean inStep = !e.fatal() && cursor.skipRestOfCommand();
            throw e.with(parser.tag(), !inStep);
        } catch (IOException | RuntimeException e) {
            cursor.discardReceived();
            throw e;
        }
    }

    /** True when {@code line}, read during IDLE, is the DONE that ends it (RFC 2177 §3, case-insensitive). */
    public static boolean isDone(Line line) {
        return new String(line.bytes(), StandardCharsets.US_ASCII).strip().equalsIgnoreCase("DONE");
    }
}

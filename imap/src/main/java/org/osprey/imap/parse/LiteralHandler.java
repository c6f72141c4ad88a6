package org.osprey.imap.parse;

import java.io.IOException;
import java.io.InputStream;

/**
 * What the {@link CommandReader} needs from the session while a command's literals arrive (RFC 3501 §7.5, RFC 7888).
 * The reader decides size limits itself ({@link ParserLimits}) and calls these in this order for each literal:
 * <ol>
 *   <li>for APPEND's message only, {@link #admitMessage} (after the APPENDLIMIT check): the place to refuse by
 *       mailbox or quota, before the client sends a byte;</li>
 *   <li>{@link #sendContinuation()}, for synchronizing literals {@code {n}} only, never for {@code {n+}};</li>
 *   <li>for APPEND's message only, {@link #receiveMessage}; other literals are read by the reader into memory.</li>
 * </ol>
 */
public interface LiteralHandler {

    /** Writes and flushes the command continuation request ({@code + Ready\r\n}). */
    void sendContinuation() throws IOException;

    /**
     * APPEND to {@code mailbox} announced a message of {@code size} octets ({@code binary}: a literal8, RFC 3516).
     * Throw {@link ImapParseException#no} (e.g. {@code NO [OVERQUOTA]}, {@code NO [TOOBIG]}) to refuse it.
     */
    default void admitMessage(String mailbox, long size, boolean binary) {
    }

    /**
     * Receives the message: {@code body} yields exactly {@code size} octets, then end of stream. Typically
     * {@code MessageData.receive(body, size, spoolDir, threshold)}. Octets not read are skipped by the reader.
     */
    MessageData receiveMessage(InputStream body, long size) throws IOException;
}

package org.osprey.imap.parse;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.osprey.core.net.LineInput;
import org.osprey.core.net.LineTooLongException;

/**
 * The token level of one command: the current line, a position in it, and the reading of literals, which end a line
 * and continue the command on the next one (RFC 3501 §4.3, §7.5). Literal bytes are never looked at as syntax, so a
 * CRLF inside a literal cannot end the command, and a quoted string ends at its line (quoted strings cannot hold CR
 * or LF), so nothing after a stray CRLF is taken as part of it.
 *
 * <p>Every byte kept in memory counts against {@link ParserLimits#maxCommandBytes()}, and a literal is refused from
 * its announced size, before the continuation and before any of its bytes are read. State for recovery after an
 * error is kept here too: {@link #skipRestOfCommand()} consumes what the client still sends of a failed command.
 */
final class Cursor {
    private final LineInput in;
    private final LiteralHandler handler;
    private final ParserLimits limits;
    private final List<MessageData> received = new ArrayList<>();
    private byte[] line;
    private int pos;
    private long used;
    /** The literal that ended {@link #line} was read; the line after it was not. */
    private boolean literalConsumed;

    Cursor(LineInput in, LiteralHandler handler, ParserLimits limits) {
        this.in = in;
        this.handler = handler;
        this.limits = limits;
    }

    // ---- lines

    /** Reads the first line of a command; returns false for an empty line (which is skipped by the caller). */
    boolean firstLine() throws IOException {
        used = 0;
        pos = 0;
        literalConsumed = false;
        line = readLine();
        return line.length > 0;
    }

    private void nextLine() throws IOException {
        line = readLine();
        pos = 0;
        literalConsumed = false;
    }

    private byte[] readLine() throws IOException {
        long room = limits.maxCommandBytes() - used - 2;
        try {
            byte[] bytes = in.readLine((int) Math.max(0, room)).bytes();
            used += bytes.length + 2;
            return bytes;
        } catch (LineTooLongException e) {
            // The line was skipped to its end; whether that end announced a literal is unknown, so the client's
            // following bytes cannot be framed safely.
            throw ImapParseException.fatal("TOOBIG", "Command too long (limit " + limits.maxCommandBytes()
                    + " octets)");
        }
    }

    // ---- characters

    int peek() {
        return pos < line.length ? line[pos] & 0xff : -1;
    }

    int peek(int ahead) {
        return pos + ahead < line.length ? line[pos + ahead] & 0xff : -1;
    }

    void skip() {
        pos++;
    }

    boolean atEnd() {
        return pos >= line.length;
    }

    void expect(char c) {
        if (peek() != c) {
            throw ImapParseException.bad(switch (c) {
                case ' ' -> atEnd() ? "Missing argument" : "Expected a space";
                case '(' -> "Expected (";
                case ')' -> atEnd() ? "Missing )" : "Expected )";
                default -> "Expected " + c;
            });
        }
        pos++;
    }

    void sp() {
        expect(' ');
    }

    /** Consumes one SP when more than spaces follow on this line (tolerating trailing spaces). */
    boolean spaceThenMore() {
        if (peek() != ' ') {
            return false;
        }
        for (int i = pos; i < line.length; i++) {
            if (line[i] != ' ') {
                pos++;
                return true;
            }
        }
        return false;
    }

    /** The command must end here (trailing spaces are tolerated). */
    void end() {
        while (peek() == ' ') {
            pos++;
        }
        if (!atEnd()) {
            throw ImapParseException.bad("Unexpected characters at end of command");
        }
    }

    /** True when the line continues with {@code text} (case-insensitive), without consuming it. */
    boolean lookingAt(String text) {
        if (pos + text.length() > line.length) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.toUpperCase((char) (line[pos + i] & 0xff)) != Character.toUpperCase(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Consumes {@code word} when it is the next atom (case-insensitive, followed by a non-atom character). */
    boolean keyword(String word) {
        if (!lookingAt(word) || isAtomChar(peek(word.length()))) {
            return false;
        }
        pos += word.length();
        return true;
    }

    // ---- tokens

    String atom() {
        int start = pos;
        while (isAtomChar(peek())) {
            pos++;
        }
        if (pos == start) {
            throw ImapParseException.bad(atEnd() ? "Missing argument" : "Expected an atom");
        }
        return ascii(start, pos);
    }

    /** 1*ASTRING-CHAR without "+", the tag (RFC 3501 §9). */
    String tag() {
        int start = pos;
        while (isAstringChar(peek()) && peek() != '+') {
            pos++;
        }
        if (pos == start) {
            throw ImapParseException.bad("Missing or invalid tag");
        }
        return ascii(start, pos);
    }

    /** Characters of a sequence set (digits : , * $), checked by {@link SequenceSet#parse}. */
    String sequenceToken() {
        int start = pos;
        while (true) {
            int b = peek();
            if ((b >= '0' && b <= '9') || b == ':' || b == ',' || b == '*' || b == '$') {
                pos++;
            } else {
                break;
            }
        }
        if (pos == start) {
            throw ImapParseException.bad(atEnd() ? "Missing sequence set" : "Invalid sequence set");
        }
        return ascii(start, pos);
    }

    /** Characters allowed in a FETCH item name before "[" or "&lt;": letters, digits and dots. */
    String itemName() {
        int start = pos;
        while (true) {
            int b = peek();
            if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '.') {
                pos++;
            } else {
                break;
            }
        }
        if (pos == start) {
            throw ImapParseException.bad(atEnd() ? "Missing argument" : "Expected a data item");
        }
        return ascii(start, pos);
    }

    /** number = 1*DIGIT, at most {@code max}. */
    long number(long max) {
        int start = pos;
        long value = 0;
        while (peek() >= '0' && peek() <= '9') {
            int digit = peek() - '0';
            if (value > (max - digit) / 10) {
                throw ImapParseException.bad("Number too large");
            }
            value = value * 10 + digit;
            pos++;
        }
        if (pos == start) {
            throw ImapParseException.bad(atEnd() ? "Missing number" : "Expected a number");
        }
        return value;
    }

    long nzNumber(long max) {
        long n = number(max);
        if (n == 0) {
            throw ImapParseException.bad("Number must not be zero");
        }
        return n;
    }

    /** astring = 1*ASTRING-CHAR / string. */
    byte[] astring() throws IOException {
        int b = peek();
        if (b == '"' || b == '{') {
            return string();
        }
        int start = pos;
        while (isAstringChar(peek())) {
            pos++;
        }
        if (pos == start) {
            throw ImapParseException.bad(atEnd() ? "Missing argument" : "Expected a string");
        }
        return Arrays.copyOfRange(line, start, pos);
    }

    /** string = quoted / literal. */
    byte[] string() throws IOException {
        int b = peek();
        if (b == '"') {
            return quoted();
        }
        if (b == '{') {
            return literal();
        }
        throw ImapParseException.bad(atEnd() ? "Missing argument" : "Expected a quoted string or literal");
    }

    /** nstring = string / NIL; null for NIL. */
    byte[] nstring() throws IOException {
        if (keyword("NIL")) {
            return null;
        }
        return string();
    }

    /** list-mailbox = 1*list-char / string (RFC 3501 §9: atom characters plus % * ]). */
    byte[] listMailbox() throws IOException {
        int b = peek();
        if (b == '"' || b == '{') {
            return string();
        }
        int start = pos;
        while (isAstringChar(peek()) || peek() == '%' || peek() == '*') {
            pos++;
        }
        if (pos == start) {
            throw ImapParseException.bad(atEnd() ? "Missing argument" : "Expected a mailbox pattern");
        }
        return Arrays.copyOfRange(line, start, pos);
    }

    private byte[] quoted() {
        pos++;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            if (atEnd()) {
                throw ImapParseException.bad("Unterminated quoted string");
            }
            int b = line[pos++] & 0xff;
            if (b == '"') {
                return out.toByteArray();
            }
            if (b == '\\') {
                int next = peek();
                if (next != '"' && next != '\\') {
                    throw ImapParseException.bad("Invalid escape in quoted string");
                }
                pos++;
                out.write(next);
            } else if (b == '\r' || b == '\n' || b == 0) {
                throw ImapParseException.bad("Invalid character in quoted string");
            } else {
                out.write(b);
            }
        }
    }

    /** The announcement {n} / {n+} at the position; it must end the line. */
    private record Announcement(long size, boolean synchronizing) {
    }

    private Announcement announcement() {
        pos++;
        int start = pos;
        long size = 0;
        while (peek() >= '0' && peek() <= '9') {
            if (pos - start >= 18) {
                throw ImapParseException.bad("Literal size too large");
            }
            size = size * 10 + (peek() - '0');
            pos++;
        }
        if (pos == start) {
            throw ImapParseException.bad("Literal size must be a number");
        }
        boolean synchronizing = true;
        if (peek() == '+') {
            synchronizing = false;
            pos++;
        }
        if (peek() != '}') {
            throw ImapParseException.bad("Invalid literal");
        }
        pos++;
        if (!atEnd()) {
            throw ImapParseException.bad("A literal must end the line");
        }
        if (!synchronizing && size > limits.maxNonSyncLiteral()) {
            // RFC 7888 §4: with LITERAL-, a larger {n+} is an error; the client sends the bytes anyway.
            throw ImapParseException.bad("TOOBIG", "Non-synchronizing literal too big (limit "
                    + limits.maxNonSyncLiteral() + " octets)");
        }
        return new Announcement(size, synchronizing);
    }

    /** A literal held in memory, counted against the command size; NUL is not allowed (CHAR8, RFC 3501 §9). */
    private byte[] literal() throws IOException {
        Announcement literal = announcement();
        if (literal.size() > limits.maxCommandBytes() - used) {
            throw ImapParseException.bad("TOOBIG", "Literal too big (a command may have at most "
                    + limits.maxCommandBytes() + " octets)");
        }
        if (literal.synchronizing()) {
            handler.sendContinuation();
        }
        literalConsumed = true;
        byte[] data = in.readNBytes((int) literal.size());
        if (data.length < literal.size()) {
            throw new EOFException("connection closed inside a literal");
        }
        used += data.length;
        nextLine();
        for (byte b : data) {
            if (b == 0) {
                throw ImapParseException.bad("NUL in literal");
            }
        }
        return data;
    }

    /** APPEND's message: a literal or literal8 handed to the session as a stream. */
    record Message(MessageData data, boolean binary) {
    }

    boolean atMessageLiteral() {
        return peek() == '{' || (peek() == '~' && peek(1) == '{');
    }

    Message message(String mailbox) throws IOException {
        boolean binary = false;
        if (peek() == '~') {
            binary = true;
            pos++;
        }
        if (peek() != '{') {
            throw ImapParseException.bad("Expected a literal");
        }
        Announcement literal = announcement();
        if (literal.size() > limits.maxAppendBytes()) {
            throw ImapParseException.no("TOOBIG", "Message too big (limit " + limits.maxAppendBytes() + " octets)");
        }
        handler.admitMessage(mailbox, literal.size(), binary);
        if (literal.synchronizing()) {
            handler.sendContinuation();
        }
        literalConsumed = true;
        Bounded body = new Bounded(in, literal.size());
        MessageData data;
        try {
            data = handler.receiveMessage(body, literal.size());
        } catch (RuntimeException e) {
            throw ImapParseException.fatal(null, "Message could not be received");
        }
        received.add(data);
        body.skipRest();
        nextLine();
        return new Message(data, binary);
    }

    /** Closes the messages received for a command that then failed. */
    void discardReceived() {
        for (MessageData data : received) {
            try {
                data.close();
            } catch (RuntimeException ignored) {
                // best effort: a temp file we could not delete is swept with the spool directory
            }
        }
        received.clear();
    }

    // ---- recovery

    /**
     * After an error, consumes what the client still sends as part of this command: when the current line ends in a
     * non-synchronizing literal the client sends its bytes and another line regardless of our reply (RFC 7888), so
     * they are read and thrown away, up to {@link ParserLimits#maxDrainBytes()}. A synchronizing literal is never
     * sent once we answer instead of continuing (RFC 3501 §7.5). Returns false when the next byte cannot be known
     * to start a command; the session must then close.
     */
    boolean skipRestOfCommand() throws IOException {
        long drained = 0;
        try {
            if (literalConsumed) {
                line = in.readLine(limits.maxCommandBytes()).bytes();
                literalConsumed = false;
            }
            while (true) {
                long size = trailingNonSyncLiteral(line);
                if (size == -1) {
                    return true;
                }
                if (size < 0 || size > limits.maxDrainBytes() - drained) {
                    return false;
                }
                in.skipNBytes(size);
                drained += size;
                line = in.readLine(limits.maxCommandBytes()).bytes();
            }
        } catch (LineTooLongException e) {
            return false;
        }
    }

    /** The size of a {n+} / ~{n+} ending the line; -1 when there is none (or it is synchronizing); -2 unreadable. */
    static long trailingNonSyncLiteral(byte[] line) {
        int end = line.length;
        if (end < 4 || line[end - 1] != '}' || line[end - 2] != '+') {
            return -1;
        }
        int i = end - 3;
        long size = 0;
        long scale = 1;
        while (i >= 0 && line[i] >= '0' && line[i] <= '9') {
            if (end - 3 - i >= 18) {
                return -2;
            }
            size += (line[i] - '0') * scale;
            scale *= 10;
            i--;
        }
        if (i == end - 3 || i < 0 || line[i] != '{') {
            return -1;
        }
        return size;
    }

    // ---- character classes (RFC 3501 §9, RFC 9051 §9)

    /** ATOM-CHAR: printable US-ASCII except atom-specials ( ) { SP % * " \ ]. */
    static boolean isAtomChar(int b) {
        if (b <= 0x20 || b >= 0x7f) {
            return false;
        }
        return switch (b) {
            case '(', ')', '{', '%', '*', '"', '\\', ']' -> false;
            default -> true;
        };
    }

    /** ASTRING-CHAR: ATOM-CHAR or "]". */
    static boolean isAstringChar(int b) {
        return isAtomChar(b) || b == ']';
    }

    private String ascii(int start, int end) {
        return new String(line, start, end - start, StandardCharsets.US_ASCII);
    }

    /** The literal's bytes as a stream that ends after {@code size} octets and fails if the client stops early. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long size) {
            this.in = in;
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            if (left == 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside a literal");
            }
            left--;
            return b;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (left == 0) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            int n = in.read(target, offset, (int) Math.min(length, left));
            if (n < 0) {
                throw new EOFException("connection closed inside a literal");
            }
            left -= n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(left, in.available());
        }

        void skipRest() throws IOException {
            in.skipNBytes(left);
            left = 0;
        }
    }
}

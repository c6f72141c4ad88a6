package org.osprey.sieve.managesieve;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.osprey.core.net.Line;
import org.osprey.core.net.LineInput;
import org.osprey.core.net.LineTooLongException;

/**
 * Reads one ManageSieve command (RFC 5804 §4) at a time from a client's {@link LineInput}: the command line and, for
 * every string sent as a literal, the literal's octets and the line after them, until the command is complete.
 * Strings may be quoted ({@code "..."} with {@code \"} and {@code \\}), literals ({@code {n+}}, and {@code {n}},
 * which ManageSieve clients also send without waiting: the protocol has no continuation response) or, leniently,
 * atoms. All strings must be UTF-8.
 *
 * <p>Before a literal's octets are read, the {@link LiteralGate} decides on its size (the script size limit, no
 * scripts before login). Contract: when {@link #read} returns, the whole command has been consumed. When it throws a
 * non-fatal {@link ManageSieveReply}, the rest of the failed command has been consumed too, including the octets of
 * a refused literal (the client sends them without waiting), so the next read starts at the next command; a literal
 * too large even to skip (over {@code maxDrain}) or a line over {@code maxLine} is fatal: the input is no longer at
 * a command boundary and the session must end. Not thread safe: one session uses it.
 */
final class CommandReader {
    /** RFC 5804 §4: number = 1*DIGIT, below 4,294,967,296. */
    private static final long MAX_NUMBER = 4_294_967_295L;

    /** What the session decides about a literal before its octets are read. */
    @FunctionalInterface
    interface LiteralGate {
        /**
         * Throws a NO reply to refuse a literal of {@code size} octets for command {@code verb}; {@code script} is
         * true for the script argument of PUTSCRIPT and CHECKSCRIPT.
         */
        void admit(String verb, boolean script, long size) throws ManageSieveReply;
    }

    private final int maxLine;
    private final long maxDrain;
    private final LiteralGate gate;

    /**
     * @param maxLine  the longest line accepted, without CRLF
     * @param maxDrain the largest refused literal that is read and thrown away; a larger one ends the session
     */
    CommandReader(int maxLine, long maxDrain, LiteralGate gate) {
        this.maxLine = maxLine;
        this.maxDrain = maxDrain;
        this.gate = gate;
    }

    /** Reads the next command; empty lines before it are skipped. EOFException: the client closed. */
    SieveCommand read(LineInput in) throws IOException, ManageSieveReply {
        Cursor c = new Cursor(in);
        do {
            c.nextLine();
        } while (c.blank());
        try {
            return c.command();
        } catch (ManageSieveReply e) {
            if (!e.fatal()) {
                c.skipRestOfCommand();
            }
            throw e;
        }
    }

    /**
     * Reads a client's response during AUTHENTICATE (RFC 5804 §2.1): one string, quoted or literal, on a line of its
     * own; {@code "*"} (returned as "*") cancels. An empty line counts as the empty string.
     */
    String readSaslResponse(LineInput in) throws IOException, ManageSieveReply {
        Cursor c = new Cursor(in);
        c.verb = "AUTHENTICATE";
        c.nextLine();
        try {
            if (c.blank()) {
                return "";
            }
            c.skipSpaces();
            String response = c.string(false, "SASL response");
            c.end();
            return response;
        } catch (ManageSieveReply e) {
            if (!e.fatal()) {
                c.skipRestOfCommand();
            }
            throw e;
        }
    }

    /** Position in the command being read: the current line and how far it is parsed. */
    private final class Cursor {
        private final LineInput in;
        private byte[] line;
        private int pos;
        /** Octets of a literal announced but neither read nor skipped yet, or -1. */
        private long pendingLiteral = -1;
        private String verb = "";

        Cursor(LineInput in) {
            this.in = in;
        }

        void nextLine() throws IOException, ManageSieveReply {
            Line l;
            try {
                l = in.readLine(maxLine);
            } catch (LineTooLongException e) {
                // the line may have announced a literal we can no longer see: its octets would be read as commands
                throw ManageSieveReply.bye("Line too long");
            }
            line = l.bytes();
            pos = 0;
        }

        boolean blank() {
            for (byte b : line) {
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }

        SieveCommand command() throws IOException, ManageSieveReply {
            skipSpaces();
            verb = atom().toUpperCase(Locale.ROOT);
            SieveCommand command = switch (verb) {
                case "AUTHENTICATE" -> {
                    requireArgument("mechanism name");
                    String mechanism = string(false, "mechanism name");
                    Optional<String> initial = nextArgument()
                            ? Optional.of(string(false, "initial response")) : Optional.empty();
                    yield new SieveCommand.Authenticate(mechanism, initial);
                }
                case "STARTTLS" -> new SieveCommand.StartTls();
                case "LOGOUT" -> new SieveCommand.Logout();
                case "CAPABILITY" -> new SieveCommand.Capability();
                case "NOOP" -> new SieveCommand.Noop(nextArgument()
                        ? Optional.of(string(false, "tag")) : Optional.empty());
                case "UNAUTHENTICATE" -> new SieveCommand.Unauthenticate();
                case "HAVESPACE" -> {
                    requireArgument("script name");
                    String name = string(false, "script name");
                    requireArgument("size");
                    yield new SieveCommand.HaveSpace(name, number());
                }
                case "PUTSCRIPT" -> {
                    requireArgument("script name");
                    String name = string(false, "script name");
                    requireArgument("script");
                    yield new SieveCommand.PutScript(name, string(true, "script"));
                }
                case "CHECKSCRIPT" -> {
                    requireArgument("script");
                    yield new SieveCommand.CheckScript(string(true, "script"));
                }
                case "LISTSCRIPTS" -> new SieveCommand.ListScripts();
                case "SETACTIVE" -> {
                    requireArgument("script name");
                    yield new SieveCommand.SetActive(string(false, "script name"));
                }
                case "GETSCRIPT" -> {
                    requireArgument("script name");
                    yield new SieveCommand.GetScript(string(false, "script name"));
                }
                case "DELETESCRIPT" -> {
                    requireArgument("script name");
                    yield new SieveCommand.DeleteScript(string(false, "script name"));
                }
                case "RENAMESCRIPT" -> {
                    requireArgument("old script name");
                    String oldName = string(false, "old script name");
                    requireArgument("new script name");
                    yield new SieveCommand.RenameScript(oldName, string(false, "new script name"));
                }
                default -> throw ManageSieveReply.no("Unknown command");
            };
            end();
            return command;
        }

        void skipSpaces() {
            while (pos < line.length && line[pos] == ' ') {
                pos++;
            }
        }

        /** Moves to the next argument: true when there is one (after at least one space), false at the end. */
        boolean nextArgument() throws ManageSieveReply {
            int start = pos;
            skipSpaces();
            if (pos == line.length) {
                return false;
            }
            if (pos == start) {
                throw ManageSieveReply.no("Expected a space between arguments");
            }
            return true;
        }

        void requireArgument(String what) throws ManageSieveReply {
            if (!nextArgument()) {
                throw ManageSieveReply.no("Missing " + what);
            }
        }

        void end() throws ManageSieveReply {
            skipSpaces();
            if (pos < line.length) {
                throw ManageSieveReply.no("Too many arguments for " + verb);
            }
        }

        String atom() throws ManageSieveReply {
            int start = pos;
            while (pos < line.length && line[pos] != ' ') {
                byte b = line[pos];
                if (b == '"' || b == '{' || b == '}' || b < 0x21 || b > 0x7e) {
                    throw ManageSieveReply.no(start == 0 ? "Invalid command" : "Invalid character in argument");
                }
                pos++;
            }
            if (pos == start) {
                throw ManageSieveReply.no("Missing command");
            }
            return new String(line, start, pos - start, StandardCharsets.US_ASCII);
        }

        long number() throws ManageSieveReply {
            int start = pos;
            while (pos < line.length && line[pos] >= '0' && line[pos] <= '9') {
                pos++;
            }
            if (pos == start || pos - start > 10 || (pos < line.length && line[pos] != ' ')) {
                throw ManageSieveReply.no("Expected a number");
            }
            long n = Long.parseLong(new String(line, start, pos - start, StandardCharsets.US_ASCII));
            if (n > MAX_NUMBER) {
                throw ManageSieveReply.no("Number too large");
            }
            return n;
        }

        /** A quoted string, a literal, or (leniently) an atom. */
        String string(boolean script, String what) throws IOException, ManageSieveReply {
            byte first = line[pos];
            if (first == '"') {
                return quoted(what);
            }
            if (first == '{') {
                return literal(script, what);
            }
            int start = pos;
            while (pos < line.length && line[pos] != ' ') {
                byte b = line[pos];
                if (b == '"' || b == '\\' || b == '{' || b == '}' || (b >= 0 && b < 0x20) || b == 0x7f) {
                    throw ManageSieveReply.no("Invalid " + what);
                }
                pos++;
            }
            return utf8(line, start, pos - start, what);
        }

        private String quoted(String what) throws ManageSieveReply {
            pos++; // the opening quote
            byte[] out = new byte[Math.min(line.length - pos, Responses.MAX_QUOTED)];
            int length = 0;
            while (true) {
                if (pos >= line.length) {
                    throw ManageSieveReply.no("Unterminated quoted string");
                }
                byte b = line[pos++];
                if (b == '"') {
                    break;
                }
                if (b == '\\') {
                    if (pos >= line.length || (line[pos] != '"' && line[pos] != '\\')) {
                        throw ManageSieveReply.no("Invalid escape in quoted string; use a literal");
                    }
                    b = line[pos++];
                } else if (b == 0 || b == '\r') {
                    throw ManageSieveReply.no("Invalid character in quoted string; use a literal");
                }
                if (length == Responses.MAX_QUOTED) {
                    throw ManageSieveReply.no("Quoted string longer than 1024 octets; use a literal");
                }
                out[length++] = b;
            }
            return utf8(out, 0, length, what);
        }

        /** {@code {n+}} or {@code {n}} ending the line, then n octets, then the rest of the command on a new line. */
        private String literal(boolean script, String what) throws IOException, ManageSieveReply {
            int close = line.length - 1;
            int end = close > pos && line[close - 1] == '+' ? close - 1 : close;
            if (line[close] != '}' || end <= pos + 1 || end - pos - 1 > 18) {
                throw ManageSieveReply.no("Invalid literal; expected {size+} at the end of the line");
            }
            for (int i = pos + 1; i < end; i++) {
                if (line[i] < '0' || line[i] > '9') {
                    throw ManageSieveReply.no("Invalid literal; expected {size+} at the end of the line");
                }
            }
            long size = Long.parseLong(new String(line, pos + 1, end - pos - 1, StandardCharsets.US_ASCII));
            pos = line.length;
            pendingLiteral = size;
            if (size > Integer.MAX_VALUE - 16) {
                throw ManageSieveReply.no("Literal too large");
            }
            gate.admit(verb, script, size);
            byte[] octets = in.readNBytes((int) size);
            if (octets.length < size) {
                throw new EOFException("connection closed inside a literal");
            }
            pendingLiteral = -1;
            nextLine();
            return utf8(octets, 0, octets.length, what);
        }

        /**
         * After an error: consumes what is left of the command, i.e. the octets of the literal it was reading or the
         * literal announced at the end of the current line, and the lines after them, until a line ends without one.
         */
        void skipRestOfCommand() throws IOException, ManageSieveReply {
            while (true) {
                long size = pendingLiteral >= 0 ? pendingLiteral : trailingLiteral();
                pendingLiteral = -1;
                if (size < 0) {
                    return;
                }
                if (size > maxDrain) {
                    throw ManageSieveReply.bye("Literal too large");
                }
                in.skipNBytes(size);
                nextLine();
            }
        }

        /** The size of a literal announced at the end of the current line, or -1. */
        private long trailingLiteral() {
            int close = line.length - 1;
            if (close < 2 || line[close] != '}') {
                return -1;
            }
            int end = line[close - 1] == '+' ? close - 1 : close;
            int start = end;
            while (start > 0 && line[start - 1] >= '0' && line[start - 1] <= '9') {
                start--;
            }
            if (start == end || start == 0 || line[start - 1] != '{') {
                return -1;
            }
            if (end - start > 18) {
                return Long.MAX_VALUE;
            }
            return Long.parseLong(new String(line, start, end - start, StandardCharsets.US_ASCII));
        }
    }

    private static String utf8(byte[] bytes, int offset, int length, String what) throws ManageSieveReply {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw ManageSieveReply.no("The " + what + " is not valid UTF-8");
        }
    }
}

package org.osprey.sieve.managesieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.osprey.core.net.LineInput;
import org.osprey.sieve.managesieve.SieveCommand.Authenticate;
import org.osprey.sieve.managesieve.SieveCommand.HaveSpace;
import org.osprey.sieve.managesieve.SieveCommand.Logout;
import org.osprey.sieve.managesieve.SieveCommand.Noop;
import org.osprey.sieve.managesieve.SieveCommand.PutScript;
import org.osprey.sieve.managesieve.SieveCommand.RenameScript;
import org.osprey.sieve.managesieve.SieveCommand.SetActive;

/** The command parser without sockets: every string form, input split at every byte, and staying in step. */
class CommandReaderTest {
    static final String PIPELINE = "AUTHENTICATE \"PLAIN\" {8+}\r\nAGEAcHc=\r\n"
            + "PUTSCRIPT {4}\r\nmain {12+}\r\nkeep;\r\nstop;\r\n"
            + "NOOP \"a \\\"b\\\" \\\\ c\"\r\n"
            + "HAVESPACE \"x\" 4294967295\r\n"
            + "\r\n"
            + "SETACTIVE \"\"\r\n"
            + "RENAMESCRIPT {1+}\r\na {3+}\r\nb\u00fc\r\n"
            + "putscript Atom \"r\u00e9sum\u00e9\"\r\n"
            + "  logout  \r\n";
    static final List<SieveCommand> EXPECTED = List.of(
            new Authenticate("PLAIN", Optional.of("AGEAcHc=")),
            new PutScript("main", "keep;\r\nstop;"),
            new Noop(Optional.of("a \"b\" \\ c")),
            new HaveSpace("x", 4_294_967_295L),
            new SetActive(""),
            new RenameScript("a", "b\u00fc"),
            new PutScript("Atom", "r\u00e9sum\u00e9"),
            new Logout());

    private static CommandReader reader() {
        return new CommandReader(200, 1000, (verb, script, size) -> {
            if (script && size > 100) {
                throw ManageSieveReply.no(ResponseCode.QUOTA_MAXSIZE, "too large");
            }
        });
    }

    private static List<Object> readAll(InputStream stream) throws IOException {
        LineInput in = new LineInput(stream);
        CommandReader reader = reader();
        List<Object> out = new ArrayList<>();
        while (true) {
            try {
                out.add(reader.read(in));
            } catch (ManageSieveReply e) {
                out.add(e.response().strip());
                if (e.fatal()) {
                    return out;
                }
            } catch (EOFException e) {
                return out;
            }
        }
    }

    @Test
    void everyStringFormAtEveryByteBoundary() throws Exception {
        byte[] bytes = PIPELINE.getBytes(StandardCharsets.UTF_8);
        List<Object> whole = readAll(new ByteArrayInputStream(bytes));
        assertThat(whole).containsExactlyElementsOf(EXPECTED);
        for (int split = 1; split < bytes.length; split++) {
            assertThat(readAll(new SplitStream(bytes, split))).as("split at %d", split).isEqualTo(whole);
        }
        assertThat(readAll(new SplitStream(bytes, 1, true))).isEqualTo(whole);
    }

    @Test
    void aRefusedCommandIsConsumedWithItsLiteralsSoTheNextOneIsReadInStep() throws Exception {
        String input = "FROB {21+}\r\nDELETESCRIPT \"main\"\r\n\r\n"
                + "PUTSCRIPT \"x\" {101+}\r\n" + "LOGOUT\r\n".repeat(12) + "LOGOU\r\n"
                + "GETSCRIPT \"unterminated\r\n"
                + "HAVESPACE \"x\" 4294967296\r\n"
                + "LISTSCRIPTS extra\r\n"
                + "GETSCRIPT\"x\"\r\n"
                + "GETSCRIPT \"" + "x".repeat(150) + "\"\r\n"
                + "NOOP \"bad \\n escape\"\r\n"
                + "CHECKSCRIPT\r\n"
                + "NOOP {6+}\r\n\"\r\n\r\n\"\r\n"
                + "NOOP \"x\"\r\n";
        assertThat(readAll(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)))).containsExactly(
                "NO \"Unknown command\"",
                "NO (QUOTA/MAXSIZE) \"too large\"",
                "NO \"Unterminated quoted string\"",
                "NO \"Number too large\"",
                "NO \"Too many arguments for LISTSCRIPTS\"",
                "NO \"Invalid command\"",
                new SieveCommand.GetScript("x".repeat(150)),
                "NO \"Invalid escape in quoted string; use a literal\"",
                "NO \"Missing script\"",
                new Noop(Optional.of("\"\r\n\r\n\"")),
                new Noop(Optional.of("x")));
    }

    @Test
    void stringsMustBeUtf8AndQuotedStringsShort() throws Exception {
        byte[] badName = "GETSCRIPT \"\u00ff\"\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(readAll(new ByteArrayInputStream(badName)))
                .containsExactly("NO \"The script name is not valid UTF-8\"");
        CommandReader reader = new CommandReader(5000, 1000, (v, s, n) -> { });
        String longQuoted = "NOOP \"" + "q".repeat(1025) + "\"\r\nNOOP \"" + "q".repeat(1024) + "\"\r\n";
        LineInput in = new LineInput(new ByteArrayInputStream(longQuoted.getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> reader.read(in)).isInstanceOfSatisfying(ManageSieveReply.class,
                e -> assertThat(e.getMessage()).contains("longer than 1024"));
        assertThat(reader.read(in)).isEqualTo(new Noop(Optional.of("q".repeat(1024))));
    }

    @Test
    void whatCannotBeSkippedEndsTheSession() throws Exception {
        assertThat(readAll(new ByteArrayInputStream("PUTSCRIPT \"x\" {1001+}\r\n".getBytes(StandardCharsets.US_ASCII))))
                .containsExactly("BYE \"Literal too large\"");
        assertThat(readAll(new ByteArrayInputStream("FROB {99999999999999999999+}\r\n"
                .getBytes(StandardCharsets.US_ASCII)))).containsExactly("BYE \"Literal too large\"");
        assertThat(readAll(new ByteArrayInputStream(("NOOP \"" + "x".repeat(300) + "\"\r\nNOOP\r\n")
                .getBytes(StandardCharsets.US_ASCII)))).containsExactly("BYE \"Line too long\"");
    }

    @Test
    void saslResponses() throws Exception {
        String input = "\"*\"\r\n{4+}\r\nabcd\r\n\"\"\r\n\r\nYWJj\r\n\"a\" \"b\"\r\n{3}\r\nxyz\r\n";
        LineInput in = new LineInput(new ByteArrayInputStream(input.getBytes(StandardCharsets.US_ASCII)));
        CommandReader reader = reader();
        assertThat(reader.readSaslResponse(in)).isEqualTo("*");
        assertThat(reader.readSaslResponse(in)).isEqualTo("abcd");
        assertThat(reader.readSaslResponse(in)).isEmpty();
        assertThat(reader.readSaslResponse(in)).isEmpty();
        assertThat(reader.readSaslResponse(in)).isEqualTo("YWJj");
        assertThatThrownBy(() -> reader.readSaslResponse(in)).isInstanceOf(ManageSieveReply.class);
        assertThat(reader.readSaslResponse(in)).isEqualTo("xyz");
    }

    /** Hands out the bytes in two reads split at {@code split}, or one byte per read. */
    private static final class SplitStream extends InputStream {
        private final byte[] bytes;
        private final int split;
        private final boolean single;
        private int pos;

        SplitStream(byte[] bytes, int split) {
            this(bytes, split, false);
        }

        SplitStream(byte[] bytes, int split, boolean single) {
            this.bytes = bytes;
            this.split = split;
            this.single = single;
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= bytes.length) {
                return -1;
            }
            int end = single ? pos + 1 : pos < split ? split : bytes.length;
            int n = Math.min(len, end - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}

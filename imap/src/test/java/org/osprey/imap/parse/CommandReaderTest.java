package org.osprey.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.osprey.imap.parse.ScriptedClient.POISON;
import static org.osprey.imap.parse.ScriptedClient.WAIT;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.net.LineInput;

/**
 * Framing: literals (RFC 3501 §7.5, RFC 7888), limits checked before a byte of a literal is read or a continuation
 * sent, streaming of APPEND's message, and getting back in step with the client after an error.
 */
class CommandReaderTest {
    private static final ParserLimits LIMITS = ParserLimits.DEFAULT;

    private static ImapCommand read(ScriptedClient client, LineInput in) throws IOException {
        return new CommandReader(client, LIMITS).read(in);
    }

    private static ImapParseException failure(CommandReader reader, LineInput in) {
        ImapParseException[] caught = new ImapParseException[1];
        assertThatThrownBy(() -> reader.read(in))
                .isInstanceOfSatisfying(ImapParseException.class, e -> caught[0] = e);
        return caught[0];
    }

    @Test
    void synchronizingLiteralsGetAContinuationBeforeTheirBytes() throws IOException {
        var client = new ScriptedClient("a1 LOGIN {5}\r\n", WAIT, "alice {6}\r\n", WAIT, "secret\r\n");
        assertThat(read(client, new LineInput(client))).isEqualTo(new ImapCommand.Login("a1", "alice", "secret"));
        assertThat(client.continuations).isEqualTo(2);
        assertThat(client.unexpectedContinuations).isZero();
    }

    @Test
    void nonSynchronizingLiteralsGetNoContinuation() throws IOException {
        // RFC 7888 §3: the server must not send a continuation for {n+}
        var client = new ScriptedClient("A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\n");
        assertThat(read(client, new LineInput(client))).isEqualTo(new ImapCommand.Login("A001", "FRED FOOBAR",
                "fat man"));
        assertThat(client.continuations).isZero();
    }

    @Test
    void aCrlfInsideALiteralDoesNotEndTheCommand() throws IOException {
        String hidden = "x\r\na2 DELETE INBOX\r\n";
        var client = new ScriptedClient("a1 SEARCH TEXT {" + hidden.length() + "}\r\n", WAIT, hidden + "\r\n",
                "a3 NOOP\r\n");
        var in = new LineInput(client);
        var reader = new CommandReader(client, LIMITS);
        assertThat(reader.read(in)).isEqualTo(new ImapCommand.Search("a1", false, Set.of(),
                new SearchKey.Text(hidden)));
        assertThat(reader.read(in)).isEqualTo(new ImapCommand.Noop("a3"));
        assertThatThrownBy(() -> reader.read(in)).isInstanceOf(EOFException.class);
    }

    @Test
    void aHugeLiteralForAnOrdinaryCommandIsRefusedBeforeItsBytesAndWithoutContinuation() throws IOException {
        // The client sees BAD instead of "+", sends no literal, and goes on with its next command (had the reader
        // tried to read the literal, it would have hit the end of the script instead).
        var client = new ScriptedClient("a1 LOGIN {104857600}\r\n", "a2 NOOP\r\n");
        var in = new LineInput(client);
        var reader = new CommandReader(client, LIMITS);
        ImapParseException e = failure(reader, in);
        assertThat(e.response()).isEqualTo("a1 BAD [TOOBIG] Literal too big (a command may have at most 65536 "
                + "octets)\r\n");
        assertThat(e.fatal()).isFalse();
        assertThat(client.continuations).isZero();
        assertThat(reader.read(in)).isEqualTo(new ImapCommand.Noop("a2"));
    }

    @Test
    void aHugeNonSynchronizingLiteralIsFatalAndNotRead() {
        var client = new ScriptedClient("a1 LOGIN {104857600+}\r\n", POISON, "x".repeat(1000));
        var in = new LineInput(client);
        ImapParseException e = failure(new CommandReader(client, LIMITS), in);
        assertThat(e.status()).isEqualTo(ImapParseException.Status.BAD);
        assertThat(e.code()).contains("TOOBIG");
        assertThat(e.tag()).contains("a1");
        assertThat(e.fatal()).isTrue();
    }

    @Test
    void literalMinusRefusesLargeNonSynchronizingLiteralsAndStaysInStep() throws IOException {
        // RFC 7888 §4: with LITERAL- only {n+} up to 4096 octets are allowed
        String big = "y".repeat(5000);
        var client = new ScriptedClient("a1 LOGIN bob {5000+}\r\n" + big + "\r\n", "a2 NOOP\r\n");
        var in = new LineInput(client);
        var reader = new CommandReader(client, LIMITS.withMaxNonSyncLiteral(4096));
        ImapParseException e = failure(reader, in);
        assertThat(e.response()).isEqualTo("a1 BAD [TOOBIG] Non-synchronizing literal too big (limit 4096 "
                + "octets)\r\n");
        assertThat(e.fatal()).isFalse();
        assertThat(reader.read(in)).isEqualTo(new ImapCommand.Noop("a2"));
    }

    @Test
    void afterAnErrorTheRestOfTheCommandIsSkipped() throws IOException {
        var client = new ScriptedClient(
                "a1 FROB {5+}\r\nhello\r\n",                             // non-synchronizing: its bytes come anyway
                "a2 FROB {5}\r\n",                                       // synchronizing: the client waits, gets BAD
                "a3 SELECT {3+}\r\nfoo (BOGUS) {4+}\r\nxxxx\r\n",         // error on a later line of the command
                "a4 LOGIN {3}\r\n", WAIT, "a\0b pw\r\n",                  // error in a literal already read
                "\r\n",                                                  // empty lines are skipped
                "a5 NOOP\r\n");
        var in = new LineInput(client);
        var reader = new CommandReader(client, LIMITS);
        assertThat(failure(reader, in).response()).isEqualTo("a1 BAD Unknown command\r\n");
        assertThat(failure(reader, in).response()).isEqualTo("a2 BAD Unknown command\r\n");
        assertThat(failure(reader, in).response()).isEqualTo("a3 BAD Unknown or repeated SELECT parameter\r\n");
        assertThat(failure(reader, in).response()).isEqualTo("a4 BAD NUL in literal\r\n");
        assertThat(reader.read(in)).isEqualTo(new ImapCommand.Noop("a5"));
        assertThat(client.continuations).isEqualTo(1);
    }

    @Test
    void aRefusedLiteralTooBigToSkipIsFatal() {
        var client = new ScriptedClient("a1 FROB {2000000+}\r\n", POISON, "x");
        ImapParseException e = failure(new CommandReader(client, LIMITS), new LineInput(client));
        assertThat(e.response()).isEqualTo("a1 BAD Unknown command\r\n");
        assertThat(e.fatal()).isTrue();
    }

    @Test
    void anOverlongContinuationLineIsFatal() {
        var client = new ScriptedClient("a1 LOGIN {3+}\r\nbob " + "x".repeat(70_000) + "\r\n");
        ImapParseException e = failure(new CommandReader(client, LIMITS), new LineInput(client));
        assertThat(e.fatal()).isTrue();
        assertThat(e.code()).contains("TOOBIG");
    }

    @Test
    void theConnectionClosingInsideALiteralIsAnEof() {
        var client = new ScriptedClient("a1 LOGIN {10+}\r\nabc");
        assertThatThrownBy(() -> read(client, new LineInput(client))).isInstanceOf(EOFException.class);
    }

    // ---- APPEND

    @Test
    void appendStreamsTheMessageThroughTheHandler(@TempDir Path spool) throws IOException {
        String message = "Subject: big\r\n\r\n" + "0123456789abcdef\r\n".repeat(10_000);
        var client = new ScriptedClient("a1 APPEND Drafts (\\Draft) {" + message.length() + "}\r\n", WAIT,
                message + "\r\n");
        client.receiver = (body, size) -> MessageData.receive(body, size, spool, 64 * 1024);
        var append = (ImapCommand.Append) read(client, new LineInput(client));
        assertThat(client.admitted).containsExactly("Drafts " + message.length());
        assertThat(append.message()).isInstanceOf(MessageData.TempFile.class);
        Path file = ((MessageData.TempFile) append.message()).file();
        assertThat(Files.readString(file)).isEqualTo(message);
        append.message().close();
        assertThat(file).doesNotExist();
    }

    @Test
    void aSmallMessageStaysInMemory(@TempDir Path spool) throws IOException {
        var client = new ScriptedClient("a1 APPEND INBOX {5+}\r\nhello\r\n");
        client.receiver = (body, size) -> MessageData.receive(body, size, spool, 64 * 1024);
        var append = (ImapCommand.Append) read(client, new LineInput(client));
        assertThat(append.message()).isEqualTo(new MessageData.InMemory("hello".getBytes(StandardCharsets.US_ASCII)));
        assertThat(spool).isEmptyDirectory();
    }

    @Test
    void anAppendOverTheLimitIsRefusedWithNoTooBigBeforeItsBytes() throws IOException {
        var client = new ScriptedClient("a1 APPEND INBOX {104857600}\r\n", "a2 NOOP\r\n");
        var in = new LineInput(client);
        var reader = new CommandReader(client, LIMITS.withMaxAppendBytes(50 * 1024 * 1024));
        ImapParseException e = failure(reader, in);
        assertThat(e.response()).isEqualTo("a1 NO [TOOBIG] Message too big (limit 52428800 octets)\r\n");
        assertThat(e.fatal()).isFalse();
        assertThat(client.continuations).isZero();
        assertThat(client.admitted).isEmpty();
        assertThat(reader.read(in)).isEqualTo(new ImapCommand.Noop("a2"));
    }

    @Test
    void aNonSynchronizingAppendOverTheLimitIsSkippedWhenSmallAndFatalWhenLarge() throws IOException {
        var client = new ScriptedClient("a1 APPEND INBOX {20+}\r\n" + "z".repeat(20) + "\r\n", "a2 NOOP\r\n");
        var in = new LineInput(client);
        var reader = new CommandReader(client, LIMITS.withMaxAppendBytes(10));
        assertThat(failure(reader, in).code()).contains("TOOBIG");
        assertThat(reader.read(in)).isEqualTo(new ImapCommand.Noop("a2"));
        assertThat(client.received).isEmpty();

        var large = new ScriptedClient("a1 APPEND INBOX {104857600+}\r\n", POISON, "z");
        ImapParseException e = failure(new CommandReader(large, LIMITS.withMaxAppendBytes(10)), new LineInput(large));
        assertThat(e.fatal()).isTrue();
    }

    @Test
    void theSessionCanRefuseAMessageBeforeItsBytes() throws IOException {
        var client = new ScriptedClient("a1 APPEND INBOX {500}\r\n", "a2 NOOP\r\n");
        client.refuseMessages = ImapParseException.no("OVERQUOTA", "Quota exceeded");
        var in = new LineInput(client);
        var reader = new CommandReader(client, LIMITS);
        assertThat(failure(reader, in).response()).isEqualTo("a1 NO [OVERQUOTA] Quota exceeded\r\n");
        assertThat(client.continuations).isZero();
        assertThat(reader.read(in)).isEqualTo(new ImapCommand.Noop("a2"));
    }

    @Test
    void aFailedAppendDiscardsTheReceivedMessage(@TempDir Path spool) throws IOException {
        // MULTIAPPEND is not offered: the second message is an error, and the first one's file is deleted
        var client = new ScriptedClient("a1 APPEND INBOX {5}\r\n", WAIT, "hello {5}\r\n", "a2 NOOP\r\n");
        client.receiver = (body, size) -> MessageData.receive(body, size, spool, 0);
        var in = new LineInput(client);
        var reader = new CommandReader(client, LIMITS);
        assertThat(failure(reader, in).response()).isEqualTo("a1 BAD Unexpected characters at end of command\r\n");
        assertThat(client.received).hasSize(1);
        assertThat(spool).isEmptyDirectory();
        assertThat(reader.read(in)).isEqualTo(new ImapCommand.Noop("a2"));
    }

    @Test
    void binaryAndUtf8AppendsAreAdmittedAsBinary() throws IOException {
        var client = new ScriptedClient("a1 APPEND INBOX ~{3}\r\n", WAIT, "a\0b\r\n",
                "a2 APPEND INBOX UTF8 (~{2+}\r\nhi)\r\n");
        var in = new LineInput(client);
        var reader = new CommandReader(client, LIMITS);
        reader.setUtf8MailboxNames(true);
        assertThat(((ImapCommand.Append) reader.read(in)).binary()).isTrue();
        assertThat(((ImapCommand.Append) reader.read(in)).utf8()).isTrue();
        assertThat(client.admitted).containsExactly("INBOX 3 binary", "INBOX 2 binary");
    }

    // ---- split at every byte boundary (Netty's habit)

    static final List<String> TRANSCRIPTS = List.of(
            "a1 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\na2 SELECT INBOX (CONDSTORE)\r\n",
            "A003 APPEND saved-messages (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {310}\r\n"
                    + CommandParserTest.RFC3501_MESSAGE + "\r\na4 NOOP\r\n",
            "a1 SEARCH CHARSET UTF-8 TEXT {6}\r\n日本\r\n"
                    + "a2 UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS ({4}\r\nDATE FROM)]<0.512>) (CHANGEDSINCE 9)\r\n",
            "a1 FROB {5+}\r\nhello\r\na2 NOOP\r\n\r\na3 LOGOUT\r\n",
            "a1 SEARCH TEXT {20}\r\nx\r\na2 DELETE INBOX\r\n\r\na3 NOOP\r\n",
            "a1 APPEND INBOX ~{3}\r\na\0b\r\na2 APPEND INBOX UTF8 (~{2+}\r\nhi)\r\na3 ID (\"name\" {3}\r\nfoo)\r\n",
            "a1 NOOP\na2 STORE 1,2:* +FLAGS.SILENT (\\Seen $Junk)\na3 SEARCH OR (FROM \"a\") NOT 1:5 TEXT \"x\r\n",
            "a1 SELECT \"~peter/mail/&U,BTFw-/&ZeVnLIqe-\" (QRESYNC (67890007 20050715194045000 41,43:211))\r\n"
                    + "a2 LIST (SUBSCRIBED) \"\" (\"INBOX\" {4}\r\nSent) RETURN (CHILDREN STATUS (MESSAGES))\r\n");

    @Test
    void everySplitOfTheInputGivesTheSameCommands() throws IOException {
        for (String transcript : TRANSCRIPTS) {
            byte[] bytes = transcript.getBytes(StandardCharsets.UTF_8);
            List<Object> whole = readAll(new ChunkedStream(bytes, bytes.length));
            assertThat(whole).as(transcript).isNotEmpty().doesNotContain("FATAL");
            for (int split = 1; split < bytes.length; split++) {
                assertThat(readAll(new ChunkedStream(bytes, split))).as("split at %d of %s", split, transcript)
                        .isEqualTo(whole);
            }
            assertThat(readAll(new ChunkedStream(bytes, 1))).as("byte by byte: %s", transcript).isEqualTo(whole);
        }
    }

    @Test
    void theTranscriptsParseAsExpected() throws IOException {
        byte[] bytes = TRANSCRIPTS.get(3).getBytes(StandardCharsets.UTF_8);
        assertThat(readAll(new ChunkedStream(bytes, bytes.length))).containsExactly("a1 BAD Unknown command\r\n",
                new ImapCommand.Noop("a2"), new ImapCommand.Logout("a3"));
        bytes = TRANSCRIPTS.get(5).getBytes(StandardCharsets.UTF_8);
        assertThat(readAll(new ChunkedStream(bytes, bytes.length)).getLast())
                .isEqualTo(new ImapCommand.Id("a3", Map.of("name", "foo")));
        bytes = TRANSCRIPTS.get(6).getBytes(StandardCharsets.UTF_8);
        assertThat(readAll(new ChunkedStream(bytes, bytes.length)).getLast())
                .isEqualTo("a3 BAD Unterminated quoted string\r\n");
    }

    /** Reads commands until the input ends; errors are recorded as their response line. */
    private static List<Object> readAll(ChunkedStream stream) throws IOException {
        var client = new ScriptedClient();
        var reader = new CommandReader(client, LIMITS);
        var in = new LineInput(stream);
        List<Object> results = new ArrayList<>();
        while (true) {
            try {
                results.add(reader.read(in));
            } catch (ImapParseException e) {
                results.add(e.response());
                if (e.fatal()) {
                    results.add("FATAL");
                    return results;
                }
            } catch (EOFException e) {
                return results;
            }
        }
    }

    /** Hands out its bytes in pieces of at most {@code chunk} octets, as a slow network would. */
    private static final class ChunkedStream extends InputStream {
        private final byte[] bytes;
        private final int chunk;
        private int position;

        ChunkedStream(byte[] bytes, int firstChunk) {
            this.bytes = bytes;
            this.chunk = firstChunk;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (position >= bytes.length) {
                return -1;
            }
            // the first read ends at the split point, later ones deliver the rest (or byte by byte for chunk 1)
            int boundary = chunk == 1 ? position + 1 : (position < chunk ? chunk : bytes.length);
            int n = Math.min(length, boundary - position);
            System.arraycopy(bytes, position, target, offset, n);
            position += n;
            return n;
        }
    }
}

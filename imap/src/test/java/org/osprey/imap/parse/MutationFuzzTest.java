package org.osprey.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.osprey.core.net.LineInput;

/**
 * A deterministic stand-in for a fuzz target (Jazzer is not among the pinned test dependencies): valid commands
 * with random bytes changed, inserted, deleted or duplicated. Whatever the input, the reader returns a command,
 * throws {@link ImapParseException}, or reports the end of input; nothing else (no IllegalArgumentException from a
 * record, no IndexOutOfBounds, no StackOverflowError) may escape, and every error reply is one clean line.
 */
class MutationFuzzTest {
    private static final List<String> SEEDS = new ArrayList<>(CommandReaderTest.TRANSCRIPTS);

    static {
        SEEDS.addAll(List.of(
                "a FETCH 1:*,$ (BODY.PEEK[1.2.HEADER.FIELDS.NOT (A B)]<1.2> BINARY[3]<0.9> BINARY.SIZE[1] "
                        + "PREVIEW (LAZY) MODSEQ) (CHANGEDSINCE 7)\r\n",
                "a UID SEARCH RETURN (MIN MAX COUNT) CHARSET UTF-8 OR NOT (SEEN UID 1:4) MODSEQ \"/flags/\\\\Seen\" "
                        + "shared 5 SENTON \"1-Jan-2000\" HEADER X y LARGER 4 KEYWORD $a\r\n",
                "a SORT (REVERSE ARRIVAL SUBJECT) UTF-8 ALL\r\na THREAD REFERENCES US-ASCII NEW\r\n",
                "a SELECT INBOX (QRESYNC (1 2 1:9 (1:3 4:6)) CONDSTORE)\r\na CREATE x (USE (\\Sent))\r\n",
                "a LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (% \"*\") RETURN (SPECIAL-USE STATUS (SIZE))\r\n",
                "a SETQUOTA \"\" (STORAGE 5)\r\na AUTHENTICATE PLAIN =\r\na ENABLE UTF8=ACCEPT\r\n",
                "a APPEND INBOX (\\Seen) \" 1-Jan-2000 10:00:00 +0100\" {3+}\r\nabc\r\na STATUS x (MESSAGES)\r\n"));
    }

    @Test
    void mutatedCommandsNeverEscapeAsUnexpectedExceptions() throws IOException {
        Random random = new Random(9051);
        ParserLimits limits = new ParserLimits(4096, 16, 50, 1000, Long.MAX_VALUE, 2000);
        byte[] alphabet = "{}()[]<>\"\\ +-~*%$:,.0123456789\r\nAaBNIL\0\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 30_000; round++) {
            byte[] seed = SEEDS.get(random.nextInt(SEEDS.size())).getBytes(StandardCharsets.UTF_8);
            byte[] input = mutate(seed, random, alphabet);
            readAll(input, limits, random.nextBoolean());
        }
    }

    private static byte[] mutate(byte[] seed, Random random, byte[] alphabet) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(seed);
        byte[] bytes = out.toByteArray();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && bytes.length > 0; e++) {
            int at = random.nextInt(bytes.length);
            byte b = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            bytes = switch (random.nextInt(4)) {
                case 0 -> {
                    bytes[at] = b;
                    yield bytes;
                }
                case 1 -> concat(slice(bytes, 0, at), new byte[] {b}, slice(bytes, at, bytes.length));
                case 2 -> concat(slice(bytes, 0, at), slice(bytes, at + 1, bytes.length));
                default -> {
                    int end = Math.min(bytes.length, at + 1 + random.nextInt(20));
                    yield concat(slice(bytes, 0, end), slice(bytes, at, end), slice(bytes, end, bytes.length));
                }
            };
        }
        return bytes;
    }

    private static void readAll(byte[] input, ParserLimits limits, boolean utf8) throws IOException {
        var client = new ScriptedClient();
        var reader = new CommandReader(client, limits);
        reader.setUtf8MailboxNames(utf8);
        var in = new LineInput(new ByteArrayInputStream(input));
        for (int commands = 0; commands < 100; commands++) {
            try {
                ImapCommand command = reader.read(in);
                assertThat(command.tag()).isNotEmpty();
                assertThat(command.name()).isNotEmpty();
            } catch (ImapParseException e) {
                String response = e.response();
                assertThat(response.indexOf('\r')).isEqualTo(response.length() - 2);
                assertThat(response.indexOf('\n')).isEqualTo(response.length() - 1);
                if (e.fatal()) {
                    return;
                }
            } catch (EOFException e) {
                return;
            }
        }
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

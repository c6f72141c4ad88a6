package org.osprey.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 20 MB message streamed through DATA and through BDAT into a stack with a 25 MiB limit: the Maildir file has
 * exactly the right size and content. (That the server's heap stays small while it streams is checked with a
 * 50 MB message against a server with -Xmx64m in the it module's LargeMessageTest.)
 */
class LargeMessageStreamTest {
    private static final int LINES = 20 * 1024 * 1024 / 80;
    private static final Pattern MAILDIR_SIZE = Pattern.compile(",S=(\\d+)");

    private static SmtpStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = SmtpStack.start(25L * 1024 * 1024);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    /** Line i of the body: 78 characters and CRLF, every tenth one starting with a dot. */
    private static byte[] line(int i) {
        String text = (i % 10 == 0 ? "." : "L") + String.format("%09d", i) + "-" + "0123456789".repeat(6)
                + "abcdefg";
        return (text + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String head(String marker) {
        return "Subject: " + marker + "\r\n\r\n";
    }

    @Test
    void twentyMegabytesThroughDataArriveWhole() throws Exception {
        String marker = "big-data-" + UUID.randomUUID();
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<big@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.command("DATA", 354);
            // streamed from a generator: the test never holds the whole message either
            OutputStream out = rawOutput(client);
            out.write(head(marker).getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < LINES; i++) {
                byte[] l = line(i);
                if (l[0] == '.') {
                    out.write('.');
                }
                out.write(l);
            }
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(client.expect(250).last()).contains("queued as");
        }
        assertDelivered(marker);
    }

    @Test
    void twentyMegabytesThroughBdatArriveWhole() throws Exception {
        String marker = "big-bdat-" + UUID.randomUUID();
        try (SmtpClient client = stack.connect()) {
            client.ehlo();
            client.command("MAIL FROM:<big@example.net>", 250);
            client.command("RCPT TO:<john@example.org>", 250);
            client.write("BDAT " + head(marker).length() + "\r\n" + head(marker));
            client.expect(250);
            OutputStream out = rawOutput(client);
            int perChunk = 13_000; // chunks of 1 MB, not aligned with anything
            for (int from = 0; from < LINES; from += perChunk) {
                int to = Math.min(LINES, from + perChunk);
                out.write(("BDAT " + (to - from) * 80L + (to == LINES ? " LAST" : "") + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                for (int i = from; i < to; i++) {
                    out.write(line(i));
                }
                out.flush();
                assertThat(client.expect(250).code()).isEqualTo(250);
            }
        }
        assertDelivered(marker);
    }

    private static OutputStream rawOutput(SmtpClient client) {
        return new BufferedOutputStream(client.rawOutput(), 256 * 1024);
    }

    private static void assertDelivered(String marker) throws Exception {
        Path file = stack.awaitMessage("john", marker);
        long expectedMessage = head(marker).length() - 2 + (long) LINES * 79; // LF endings on disk
        String name = file.getFileName().toString();
        Matcher m = MAILDIR_SIZE.matcher(name);
        assertThat(m.find()).as(name).isTrue();
        assertThat(Files.size(file)).isEqualTo(Long.parseLong(m.group(1)));
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] start = new byte[4096];
            f.readFully(start);
            String text = new String(start, StandardCharsets.US_ASCII);
            int offset = text.indexOf("Subject: " + marker);
            assertThat(offset).isPositive();
            assertThat(Files.size(file) - offset).isEqualTo(expectedMessage);
            assertThat(text.substring(offset)).startsWith("Subject: " + marker + "\n\n" + ".000000000-0123");
            byte[] end = new byte[79 * 2];
            f.seek(Files.size(file) - end.length);
            f.readFully(end);
            String last = new String(line(LINES - 2), StandardCharsets.US_ASCII).replace("\r\n", "\n")
                    + new String(line(LINES - 1), StandardCharsets.US_ASCII).replace("\r\n", "\n");
            assertThat(new String(end, StandardCharsets.US_ASCII)).isEqualTo(last);
        }
    }
}

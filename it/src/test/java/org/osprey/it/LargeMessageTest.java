package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages stream through the server, they are never held in memory: a 50 MB message through DATA into a server
 * that runs with a 64 MB heap (-Xmx64m) arrives whole, byte-correct, and the server is still up and serving.
 */
class LargeMessageTest {
    private static final long MESSAGE_SIZE = 50L * 1000 * 1000;
    private static final int LINE = 100; // octets, CRLF included
    private static final int LINES = (int) (MESSAGE_SIZE / LINE);
    private static final Pattern MAILDIR_SIZE = Pattern.compile(",S=(\\d+)");

    @TempDir
    Path dir;

    /** Line i: 98 characters and CRLF; every 100th starts with a dot, so dot-stuffing is streamed too. */
    private static byte[] line(int i) {
        String text = (i % 100 == 0 ? "." : "L") + String.format("%09d", i) + "-" + "abcdefghijklmnopqrstuvwxyz"
                .repeat(3) + "0123456789".substring(0, 9);
        return (text + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aFiftyMegabyteMessageStreamsThroughAServerWithA64MegabyteHeap() throws Exception {
        assertThat(line(0)).hasSize(LINE);
        try (var server = new ServerProcess(dir, "[smtp]\nmax_message_size = \"60M\"")) {
            Cli cli = new Cli(server.config);
            assertThat(cli.run("domain", "add", "example.org").status()).isZero();
            assertThat(cli.runWithInput("pw\n", "user", "add", "john@example.org", "--password-stdin").status())
                    .isZero();
            server.start("-Xmx64m");

            String subject = "Subject: fifty-megabytes\r\n\r\n";
            try (Socket socket = new Socket("127.0.0.1", server.smtpPort)) {
                socket.setSoTimeout(120_000);
                var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
                expect(in, "220");
                command(out, in, "EHLO client.example.net", "250");
                command(out, in, "MAIL FROM:<big@example.net> SIZE=" + (subject.length() + MESSAGE_SIZE), "250");
                command(out, in, "RCPT TO:<john@example.org>", "250");
                command(out, in, "DATA", "354");
                out.write(subject.getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < LINES; i++) {
                    byte[] l = line(i);
                    if (l[0] == '.') {
                        out.write('.');
                    }
                    out.write(l);
                }
                out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(expect(in, "250")).contains("queued as");
                command(out, in, "QUIT", "221");
            }

            Path inbox = dir.resolve("data/vmail/example.org/john/Maildir/new");
            Path file = await("delivery of the 50 MB message").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).until(() -> onlyFile(inbox), f -> f != null);
            long expected = subject.length() - 2 + (long) LINES * (LINE - 1); // LF line endings on disk
            Matcher m = MAILDIR_SIZE.matcher(file.getFileName().toString());
            assertThat(m.find()).isTrue();
            assertThat(Files.size(file)).isEqualTo(Long.parseLong(m.group(1)));
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                byte[] head = new byte[2048];
                f.readFully(head);
                String text = new String(head, StandardCharsets.US_ASCII);
                int offset = text.indexOf("Subject: fifty-megabytes\n\n.000000000-abc");
                assertThat(offset).as(text).isPositive();
                assertThat(Files.size(file) - offset).isEqualTo(expected);
                byte[] tail = new byte[LINE - 1];
                f.seek(Files.size(file) - tail.length);
                f.readFully(tail);
                assertThat(new String(tail, StandardCharsets.US_ASCII))
                        .isEqualTo(new String(line(LINES - 1), StandardCharsets.US_ASCII).replace("\r\n", "\n"));
            }

            // still up and serving after it
            try (var client = new SimpleSmtpClient("127.0.0.1", server.smtpPort)) {
                assertThat(client.send("small@example.net", "john@example.org", "Subject: after\r\n\r\nok\r\n"))
                        .startsWith("250");
            }
            assertThat(Files.readString(server.log)).doesNotContain("OutOfMemoryError");
        }
    }

    private static Path onlyFile(Path inbox) throws IOException {
        if (!Files.isDirectory(inbox)) {
            return null;
        }
        try (Stream<Path> files = Files.list(inbox)) {
            List<Path> all = files.toList();
            return all.size() == 1 ? all.getFirst() : null;
        }
    }

    private static String command(OutputStream out, BufferedReader in, String line, String code) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return expect(in, code);
    }

    /** The last line of the next reply, which must have this code. */
    private static String expect(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed, expected " + code);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        assertThat(line).startsWith(code);
        return line;
    }
}

package org.osprey.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmtpSourceTest {

    @Test
    void bodyIsLinesOf76WithCrlfAndStuffedDots() {
        byte[] body = MessageText.body(5000, new Random(1));
        String text = new String(body, StandardCharsets.US_ASCII);
        assertThat(body.length).isBetween(5000, 5000 + 78);
        String[] lines = text.split("\r\n", -1);
        assertThat(lines[lines.length - 1]).isEmpty();
        for (int i = 0; i < lines.length - 2; i++) {
            assertThat(lines[i]).hasSize(MessageText.LINE);
        }
        assertThat(text).doesNotContain("\r\r").doesNotContain("\n\n");
        assertThat(lines[24]).startsWith(".. ");

        String stuffed = new String(MessageText.dotStuff(body), StandardCharsets.US_ASCII);
        assertThat(stuffed.split("\r\n")[24]).startsWith("... ");
        assertThat(MessageText.dotStuff(".a\r\nb.\r\n.\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("..a\r\nb.\r\n..\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void parsesLikeSmtpSource() {
        var o = SmtpSource.parse(new String[] {"-s", "20", "-m", "5000", "-l", "5k", "-t", "a@b.example",
                "127.0.0.1:2525"});
        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(o.port()).isEqualTo(2525);
        assertThat(o.sessions()).isEqualTo(20);
        assertThat(o.messages()).isEqualTo(5000);
        assertThat(o.size()).isEqualTo(5120);
        assertThat(o.to()).isEqualTo("a@b.example");
        assertThat(o.pipelining()).isTrue();
        assertThat(SmtpSource.parse(new String[] {"[::1]:25"}).host()).isEqualTo("::1");
        assertThat(SmtpSource.parse(new String[] {"--help"})).isNull();
        assertThatThrownBy(() -> SmtpSource.parse(new String[] {"-s", "0", "h"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpSource.parse(new String[] {"-x", "h"}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesSubmissionOptions() {
        var o = SmtpSource.parse(new String[] {"--starttls", "--auth", "john@example.org:se:cret", "--sink-log",
                "/tmp/sink.log", "127.0.0.1:587"});
        assertThat(o.tls()).isEqualTo(SmtpSource.Tls.STARTTLS);
        assertThat(o.authUser()).isEqualTo("john@example.org");
        assertThat(o.authPassword()).isEqualTo("se:cret");
        assertThat(o.sinkLog()).isEqualTo(Path.of("/tmp/sink.log"));
        assertThat(SmtpSource.parse(new String[] {"--tls", "h:465"}).tls()).isEqualTo(SmtpSource.Tls.IMPLICIT);
        assertThat(SmtpSource.parse(new String[] {"h"}).tls()).isEqualTo(SmtpSource.Tls.NONE);
        assertThatThrownBy(() -> SmtpSource.parse(new String[] {"--auth", "nopassword", "h"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpSource.parse(new String[] {"--maildir", "a", "--sink-log", "b", "h"}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsTheLastCompleteSinkCounter(@TempDir Path dir) throws Exception {
        assertThat(SmtpSource.lastMesg("")).isZero();
        assertThat(SmtpSource.lastMesg("sess=0 quit=0 mesg=1\r")).isEqualTo(1);
        assertThat(SmtpSource.lastMesg("sess=0 quit=0 mesg=9\rsess=0 quit=0 mesg=10\r")).isEqualTo(10);
        // a record still being written is skipped
        assertThat(SmtpSource.lastMesg("sess=0 quit=0 mesg=9\rsess=0 quit=0 mes")).isEqualTo(9);
        Path log = dir.resolve("sink.log");
        assertThat(SmtpSource.sinkCount(log)).isZero();
        var text = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            text.append("sess=").append(i / 7).append(" quit=").append(i / 7).append(" mesg=").append(i).append('\r');
        }
        Files.writeString(log, text);
        assertThat(SmtpSource.sinkCount(log)).isEqualTo(5000);
    }

    @Test
    void pipelinesReusesSessionsAndCountsAcceptedMessages(@TempDir Path dir) throws Exception {
        try (var server = new FakeServer(dir, 0)) {
            var o = SmtpSource.parse(new String[] {"-s", "4", "-m", "40", "-l", "5k",
                    "--maildir", dir.toString(), "--wait", "10", "127.0.0.1:" + server.port()});
            var source = new SmtpSource(o, new PrintStream(OutputStream.nullOutputStream()));
            SmtpSource.Result r = source.run();
            assertThat(r.accepted()).isEqualTo(40);
            assertThat(r.failed()).isZero();
            assertThat(r.delivered()).isEqualTo(40);
            assertThat(r.timedOut()).isFalse();
            assertThat(server.connections.get()).isEqualTo(4);
            assertThat(server.messages).hasSize(40);
            for (String m : server.messages) {
                assertThat(m).startsWith("From: Sender <sender@example.net>\r\nTo: <john@example.org>\r\n");
                assertThat(m.length()).isBetween(5120 - 10, 5120 + 80);
                assertThat(m).contains("\r\n.. ").doesNotContain("\r\n... ");
            }
            assertThat(source.report(r)).contains("accepted=40 failed=0").contains("delivered=40");
        }
    }

    @Test
    void refusedMessagesAreCounted(@TempDir Path dir) throws Exception {
        try (var server = new FakeServer(dir, 3)) {
            var o = SmtpSource.parse(new String[] {"-s", "2", "-m", "10", "127.0.0.1:" + server.port()});
            SmtpSource.Result r = new SmtpSource(o, new PrintStream(OutputStream.nullOutputStream())).run();
            assertThat(r.accepted()).isEqualTo(7);
            assertThat(r.failed()).isEqualTo(3);
        }
    }

    /**
     * A minimal SMTP server that insists on pipelining (it answers MAIL only after RCPT and DATA have arrived),
     * un-stuffs DATA, writes every message as a file into {@code dir/new}, and refuses the first
     * {@code refuse} messages at the end of data.
     */
    private static final class FakeServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
        final Path maildirNew;
        final int refuse;

        FakeServer(Path maildir, int refuse) throws IOException {
            this.maildirNew = Files.createDirectories(maildir.resolve("new"));
            this.refuse = refuse;
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    Socket s = socket.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(s));
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                out.write("220 fake ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                while (true) {
                    String line = readLine(in);
                    if (line == null) {
                        return;
                    }
                    if (line.startsWith("EHLO")) {
                        out.write("250-fake\r\n250-PIPELINING\r\n250 SIZE 10000000\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                    } else if (line.startsWith("MAIL FROM:<sender@example.net> SIZE=")) {
                        List<String> rest = List.of(readLine(in), readLine(in));
                        if (!rest.equals(List.of("RCPT TO:<john@example.org>", "DATA"))) {
                            out.write("503 not pipelined\r\n".getBytes(StandardCharsets.US_ASCII));
                            return;
                        }
                        out.write("250 ok\r\n250 ok\r\n354 go\r\n".getBytes(StandardCharsets.US_ASCII));
                        var message = new StringBuilder();
                        String l;
                        while (!(l = readLine(in)).equals(".")) {
                            message.append(l.startsWith(".") ? l.substring(1) : l).append("\r\n");
                        }
                        if (refused.getAndIncrement() < refuse) {
                            out.write("554 no\r\n".getBytes(StandardCharsets.US_ASCII));
                        } else {
                            messages.add(message.toString());
                            Files.writeString(maildirNew.resolve("m" + messages.size() + "." + s.getPort()),
                                    message);
                            out.write("250 queued\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                    } else if (line.equals("QUIT")) {
                        out.write("221 bye\r\n".getBytes(StandardCharsets.US_ASCII));
                        return;
                    } else {
                        out.write("500 what\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
            } catch (IOException e) {
                // client went away
            }
        }

        private static String readLine(InputStream in) throws IOException {
            var b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    return null;
                }
                b.write(c);
            }
            String s = b.toString(StandardCharsets.US_ASCII);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}

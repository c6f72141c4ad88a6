package org.osprey.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator in the manner of Postfix's smtp-source: {@code -s} parallel sessions (virtual threads) send
 * {@code -m} messages in all, of about {@code -l} bytes, from one sender to one recipient. A session stays
 * connected and sends message after message (like smtp-source -d) until the total is reached, or reconnects
 * every {@code -c} messages. MAIL, RCPT and DATA go in one write when the server announces PIPELINING.
 *
 * <p>With {@code --maildir DIR} it then waits until {@code DIR/new} holds {@code -m} files, polling every 10 ms,
 * and reports the time from the first connection until then.
 *
 * <p>Exit status: 0 all accepted (and delivered, with --maildir); 1 some message not accepted; 2 bad arguments;
 * 3 the maildir did not fill up in time.
 */
public final class SmtpSource {
    private static final byte[] CRLF_DOT_CRLF = ".\r\n".getBytes(StandardCharsets.US_ASCII);

    /** The command line. */
    record Options(String host, int port, int sessions, int messages, int size, String from, String to,
                   String helo, boolean pipelining, int perConnection, Path maildir, int waitSeconds,
                   boolean verbose) {
    }

    /** What a run counted; times are nanoseconds from the first connection. */
    record Result(int accepted, int failed, long smtpNanos, int delivered, long deliveredNanos, boolean timedOut) {
    }

    private final Options options;
    private final MessageText text;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong firstError = new AtomicLong();
    private final PrintStream err;
    private volatile String firstErrorText;

    SmtpSource(Options options, PrintStream err) {
        this.options = options;
        this.err = err;
        this.text = new MessageText(options.from(), options.to(), options.size(), System.nanoTime());
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("smtp-source: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(usage());
            return;
        }
        var source = new SmtpSource(options, System.err);
        Result r = source.run();
        System.out.println(source.report(r));
        if (r.accepted() < options.messages()) {
            System.exit(1);
        }
        if (r.timedOut()) {
            System.exit(3);
        }
    }

    static String usage() {
        return """
                usage: smtp-source [options] host[:port]
                  -s N          parallel sessions (default 1)
                  -m N          messages in all (default 1)
                  -l BYTES      message size, headers included (default 5120; 5k and 1m work too)
                  -f ADDRESS    sender (default sender@example.net)
                  -t ADDRESS    recipient (default john@example.org)
                  -c N          reconnect after N messages in a session (default 0: never)
                  -H NAME       EHLO name (default localhost)
                  -P            never pipeline, even when the server offers PIPELINING
                  -v            print every reply that is not accepted
                  --maildir DIR afterwards wait until DIR/new holds -m files (poll every 10 ms)
                  --wait SECS   how long to wait for that (default 600)
                prints: sent=, accepted=, failed=, smtp_seconds=, smtp_rate= and, with --maildir,
                        delivered=, delivered_seconds=, delivered_rate= (seconds from the first connection)""";
    }

    /** Parses the command line; null for --help. */
    static Options parse(String[] args) {
        String host = null;
        int port = 25;
        int sessions = 1;
        int messages = 1;
        int size = 5120;
        String from = "sender@example.net";
        String to = "john@example.org";
        String helo = "localhost";
        boolean pipelining = true;
        int perConnection = 0;
        Path maildir = null;
        int wait = 600;
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    return null;
                }
                case "-s" -> sessions = positive(a, value(args, ++i, a));
                case "-m" -> messages = positive(a, value(args, ++i, a));
                case "-l" -> size = (int) bytes(a, value(args, ++i, a));
                case "-f" -> from = value(args, ++i, a);
                case "-t" -> to = value(args, ++i, a);
                case "-c" -> perConnection = number(a, value(args, ++i, a));
                case "-H" -> helo = value(args, ++i, a);
                case "-P" -> pipelining = false;
                case "-v" -> verbose = true;
                case "--maildir" -> maildir = Path.of(value(args, ++i, a));
                case "--wait" -> wait = positive(a, value(args, ++i, a));
                default -> {
                    if (a.startsWith("-") || host != null) {
                        throw new IllegalArgumentException("unknown argument: " + a);
                    }
                    // host, host:port, [v6 address], [v6 address]:port
                    int colon = a.lastIndexOf(':');
                    boolean hasPort = colon > 0 && (a.startsWith("[") ? a.charAt(colon - 1) == ']'
                            : a.indexOf(':') == colon);
                    host = hasPort ? a.substring(0, colon) : a;
                    if (hasPort) {
                        port = positive("port", a.substring(colon + 1));
                    }
                    if (host.startsWith("[") && host.endsWith("]")) {
                        host = host.substring(1, host.length() - 1);
                    }
                }
            }
        }
        if (host == null) {
            throw new IllegalArgumentException("no host given");
        }
        if (size < 200) {
            throw new IllegalArgumentException("-l must be at least 200 bytes");
        }
        return new Options(host, port, sessions, messages, size, from, to, helo, pipelining, perConnection, maildir,
                wait, verbose);
    }

    /** Sends everything, then (with --maildir) waits for the deliveries. */
    Result run() throws InterruptedException {
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> sessions = new ArrayList<>();
            for (int i = 0; i < options.sessions(); i++) {
                sessions.add(pool.submit(this::session));
            }
            for (Future<?> f : sessions) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    error("session failed: " + e.getCause());
                }
            }
        }
        long smtpNanos = System.nanoTime() - start;
        if (options.maildir() == null) {
            return new Result(accepted.get(), options.messages() - accepted.get(), smtpNanos, -1, -1, false);
        }
        Path dir = options.maildir().resolve("new");
        long deadline = start + options.waitSeconds() * 1_000_000_000L;
        int delivered;
        while ((delivered = countFiles(dir)) < options.messages() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long deliveredNanos = System.nanoTime() - start;
        return new Result(accepted.get(), options.messages() - accepted.get(), smtpNanos, delivered, deliveredNanos,
                delivered < options.messages());
    }

    String report(Result r) {
        var sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "sent=%d accepted=%d failed=%d smtp_seconds=%.3f smtp_rate=%.1f",
                options.messages(), r.accepted(), r.failed(), r.smtpNanos() / 1e9,
                r.accepted() / (r.smtpNanos() / 1e9)));
        if (r.delivered() >= 0) {
            sb.append(String.format(Locale.ROOT, " delivered=%d delivered_seconds=%.3f delivered_rate=%.1f",
                    r.delivered(), r.deliveredNanos() / 1e9, r.delivered() / (r.deliveredNanos() / 1e9)));
        }
        if (firstErrorText != null) {
            sb.append("\nfirst error: ").append(firstErrorText);
        }
        return sb.toString();
    }

    /** One session: connects, then takes message numbers from the shared counter until none is left. */
    private Void session() {
        int sentHere = 0;
        Connection c = null;
        try {
            while (true) {
                int number = next.getAndIncrement();
                if (number >= options.messages()) {
                    break;
                }
                if (c != null && options.perConnection() > 0 && sentHere >= options.perConnection()) {
                    c.quit();
                    c = null;
                }
                if (c == null) {
                    c = connect();
                    sentHere = 0;
                }
                if (c.send(number)) {
                    accepted.incrementAndGet();
                }
                sentHere++;
            }
            if (c != null) {
                c.quit();
            }
        } catch (IOException | RuntimeException e) {
            // The message in hand is lost; the other sessions take the rest.
            error("session error: " + e);
            if (c != null) {
                c.close();
            }
        }
        return null;
    }

    private Connection connect() throws IOException {
        var socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(300_000);
        socket.connect(new InetSocketAddress(options.host(), options.port()), 30_000);
        var c = new Connection(socket);
        Reply greeting = c.read();
        if (greeting.code() != 220) {
            c.close();
            throw new IOException("greeting: " + greeting);
        }
        c.write("EHLO " + options.helo() + "\r\n");
        c.flush();
        Reply ehlo = c.read();
        if (ehlo.code() != 250) {
            c.close();
            throw new IOException("EHLO: " + ehlo);
        }
        for (String line : ehlo.lines()) {
            String keyword = line.length() > 4 ? line.substring(4).toUpperCase(Locale.ROOT) : "";
            if (keyword.equals("PIPELINING")) {
                c.pipelining = options.pipelining();
            } else if (keyword.startsWith("SIZE")) {
                c.size = true;
            }
        }
        return c;
    }

    private void error(String text) {
        if (firstError.getAndIncrement() == 0) {
            firstErrorText = text;
        }
        if (options.verbose()) {
            err.println("smtp-source: " + text);
        }
    }

    private static int countFiles(Path dir) {
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path ignored : files) {
                n++;
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            return n;
        }
        return n;
    }

    /** A reply: its code and every line as sent (without CRLF). */
    record Reply(int code, List<String> lines) {
        @Override
        public String toString() {
            return String.join(" / ", lines);
        }
    }

    /** One connection to the server. */
    private final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        boolean pipelining;
        boolean size;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 8 * 1024);
            this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        }

        /** Sends message {@code number}; true when the server answered 250 to its end of data. */
        boolean send(int number) throws IOException {
            byte[] headers = text.headers(number, ZonedDateTime.now());
            String mail = "MAIL FROM:<" + options.from() + ">"
                    + (size ? " SIZE=" + text.size(headers, number) : "") + "\r\n";
            String rcpt = "RCPT TO:<" + options.to() + ">\r\n";
            Reply mailReply;
            Reply rcptReply;
            Reply dataReply;
            if (pipelining) {
                write(mail + rcpt + "DATA\r\n");
                flush();
                mailReply = read();
                rcptReply = read();
                dataReply = read();
            } else {
                write(mail);
                flush();
                mailReply = read();
                if (mailReply.code() != 250) {
                    return refused("MAIL", mailReply, false);
                }
                write(rcpt);
                flush();
                rcptReply = read();
                if (rcptReply.code() != 250) {
                    return refused("RCPT", rcptReply, true);
                }
                write("DATA\r\n");
                flush();
                dataReply = read();
            }
            if (dataReply.code() != 354) {
                if (mailReply.code() != 250) {
                    return refused("MAIL", mailReply, true);
                }
                if (rcptReply.code() != 250) {
                    return refused("RCPT", rcptReply, true);
                }
                return refused("DATA", dataReply, true);
            }
            out.write(headers);
            out.write(text.stuffedBody(number));
            out.write(CRLF_DOT_CRLF);
            flush();
            Reply end = read();
            if (end.code() != 250) {
                return refused("end of data", end, false);
            }
            if (mailReply.code() != 250 || rcptReply.code() != 250) {
                // The server took the message although it refused the envelope: count it as not accepted.
                return refused("envelope", mailReply.code() != 250 ? mailReply : rcptReply, false);
            }
            return true;
        }

        private boolean refused(String step, Reply reply, boolean reset) throws IOException {
            error(step + " refused: " + reply);
            if (reset) {
                write("RSET\r\n");
                flush();
                read();
            }
            return false;
        }

        void quit() {
            try {
                write("QUIT\r\n");
                flush();
                read();
            } catch (IOException e) {
                // leaving anyway
            }
            close();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }

        void write(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.US_ASCII));
        }

        void flush() throws IOException {
            out.flush();
        }

        /** Reads one reply, multi-line ones included ("250-...", then "250 ..."). */
        Reply read() throws IOException {
            List<String> lines = new ArrayList<>(1);
            while (true) {
                String l = readLine();
                if (l.length() < 3) {
                    throw new IOException("bad reply line: " + l);
                }
                lines.add(l);
                if (l.length() == 3 || l.charAt(3) != '-') {
                    int code;
                    try {
                        code = Integer.parseInt(l.substring(0, 3));
                    } catch (NumberFormatException e) {
                        throw new IOException("bad reply line: " + l);
                    }
                    return new Reply(code, lines);
                }
            }
        }

        private String readLine() throws IOException {
            line.reset();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new EOFException("connection closed by the server");
                }
                if (b != '\r') {
                    line.write(b);
                }
                if (line.size() > 4096) {
                    throw new IOException("reply line too long");
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int number(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a number: " + value);
        }
    }

    private static int positive(String option, String value) {
        int n = number(option, value);
        if (n == 0) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return n;
    }

    /** "5120", "5k", "1m" (binary units). */
    static long bytes(String option, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("k")) {
            unit = 1024;
            v = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            unit = 1024 * 1024;
            v = v.substring(0, v.length() - 1);
        }
        long n = number(option, v) * unit;
        if (n > 64L * 1024 * 1024) {
            throw new IllegalArgumentException(option + ": at most 64m");
        }
        return n;
    }
}

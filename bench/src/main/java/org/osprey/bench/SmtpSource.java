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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A load generator in the manner of Postfix's smtp-source: {@code -s} parallel sessions (virtual threads) send
 * {@code -m} messages in all, of about {@code -l} bytes, from one sender to one recipient. A session stays
 * connected and sends message after message (like smtp-source -d) until the total is reached, or reconnects
 * every {@code -c} messages. MAIL, RCPT and DATA go in one write when the server announces PIPELINING.
 *
 * <p>For submission, {@code --starttls} (or {@code --tls}, implicit TLS as on port 465) encrypts every session,
 * trusting any certificate, and {@code --auth USER:PASSWORD} logs in with AUTH PLAIN once per session, before the
 * first message.
 *
 * <p>With {@code --maildir DIR} it then waits until {@code DIR/new} holds {@code -m} files, polling every 10 ms,
 * and reports the time from the first connection until then. {@code --sink-log FILE} does the same for the
 * counter output of Postfix's {@code smtp-sink -c} ("sess=N quit=N mesg=N\r", written after every message): it
 * waits until the last mesg= in FILE reaches {@code -m}.
 *
 * <p>Exit status: 0 all accepted (and delivered, with --maildir or --sink-log); 1 some message not accepted; 2 bad
 * arguments; 3 the maildir or the sink did not fill up in time.
 */
public final class SmtpSource {
    private static final byte[] CRLF_DOT_CRLF = ".\r\n".getBytes(StandardCharsets.US_ASCII);

    /** The command line. */
    record Options(String host, int port, int sessions, int messages, int size, String from, String to,
                   String helo, boolean pipelining, int perConnection, Path maildir, int waitSeconds,
                   boolean verbose, Tls tls, String authUser, String authPassword, Path sinkLog) {
    }

    /** How a session is encrypted. */
    enum Tls { NONE, STARTTLS, IMPLICIT }

    /** What a run counted; times are nanoseconds from the first connection. */
    record Result(int accepted, int failed, long smtpNanos, int delivered, long deliveredNanos, boolean timedOut) {
    }

    private final Options options;
    private final MessageText text;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong firstError = new AtomicLong();
    private final PrintStream err;
    private final SSLSocketFactory tlsFactory;
    private volatile String firstErrorText;

    SmtpSource(Options options, PrintStream err) {
        this.options = options;
        this.err = err;
        this.text = new MessageText(options.from(), options.to(), options.size(), System.nanoTime());
        this.tlsFactory = options.tls() == Tls.NONE ? null : trustAnyCertificate();
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
                  --starttls    STARTTLS after EHLO (any certificate is trusted), then EHLO again
                  --tls         implicit TLS from the first byte (port 465 style)
                  --auth USER:PASSWORD
                                AUTH PLAIN once per session (after TLS), before the first message
                  --maildir DIR afterwards wait until DIR/new holds -m files (poll every 10 ms)
                  --sink-log FILE
                                afterwards wait until the last mesg= count in FILE, the output of
                                smtp-sink -c, reaches -m (poll every 10 ms)
                  --wait SECS   how long to wait for either (default 600)
                prints: sent=, accepted=, failed=, smtp_seconds=, smtp_rate= and, with --maildir or --sink-log,
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
        Tls tls = Tls.NONE;
        String authUser = null;
        String authPassword = null;
        Path sinkLog = null;
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
                case "--starttls" -> tls = Tls.STARTTLS;
                case "--tls" -> tls = Tls.IMPLICIT;
                case "--auth" -> {
                    String v = value(args, ++i, a);
                    int colon = v.indexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("--auth needs USER:PASSWORD");
                    }
                    authUser = v.substring(0, colon);
                    authPassword = v.substring(colon + 1);
                }
                case "--sink-log" -> sinkLog = Path.of(value(args, ++i, a));
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
        if (maildir != null && sinkLog != null) {
            throw new IllegalArgumentException("--maildir and --sink-log exclude each other");
        }
        return new Options(host, port, sessions, messages, size, from, to, helo, pipelining, perConnection, maildir,
                wait, verbose, tls, authUser, authPassword, sinkLog);
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
        if (options.maildir() == null && options.sinkLog() == null) {
            return new Result(accepted.get(), options.messages() - accepted.get(), smtpNanos, -1, -1, false);
        }
        Path dir = options.maildir() == null ? null : options.maildir().resolve("new");
        long deadline = start + options.waitSeconds() * 1_000_000_000L;
        int delivered;
        while ((delivered = dir != null ? countFiles(dir) : sinkCount(options.sinkLog())) < options.messages()
                && System.nanoTime() < deadline) {
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

    /** Connects, reads the greeting, says EHLO, and with the options encrypts (STARTTLS) and logs in. */
    private Connection connect() throws IOException {
        var socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(300_000);
        socket.connect(new InetSocketAddress(options.host(), options.port()), 30_000);
        var c = new Connection(options.tls() == Tls.IMPLICIT ? handshake(socket) : socket);
        try {
            c.expect(c.read(), 220, "greeting");
            Set<String> extensions = c.ehlo();
            if (options.tls() == Tls.STARTTLS) {
                if (!extensions.contains("STARTTLS")) {
                    throw new IOException("STARTTLS is not offered");
                }
                c.write("STARTTLS\r\n");
                c.flush();
                c.expect(c.read(), 220, "STARTTLS");
                c.upgrade(handshake(c.socket));
                // RFC 3207 §4.2: forget what was learnt before TLS and ask again.
                extensions = c.ehlo();
            }
            c.pipelining = options.pipelining() && extensions.contains("PIPELINING");
            c.size = extensions.contains("SIZE");
            if (options.authUser() != null) {
                byte[] plain = ("\0" + options.authUser() + "\0" + options.authPassword())
                        .getBytes(StandardCharsets.UTF_8);
                c.write("AUTH PLAIN " + Base64.getEncoder().encodeToString(plain) + "\r\n");
                c.flush();
                c.expect(c.read(), 235, "AUTH PLAIN");
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** TLS over a connected socket, as the client, certificate not checked (a benchmark on loopback). */
    private SSLSocket handshake(Socket plain) throws IOException {
        var tls = (SSLSocket) tlsFactory.createSocket(plain, options.host(), options.port(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        return tls;
    }

    private static SSLSocketFactory trustAnyCertificate() {
        TrustManager any = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {any}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK: " + e, e);
        }
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

    /**
     * The message count of smtp-sink's {@code -c} output: it writes "sess=N quit=N mesg=N" and a CR after every
     * event, so the file's last complete record holds the current count. Reads only the file's tail; 0 while the
     * file is missing or holds no complete record yet.
     */
    static int sinkCount(Path log) {
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            long size = ch.size();
            int n = (int) Math.min(size, 256);
            ByteBuffer tail = ByteBuffer.allocate(n);
            while (tail.hasRemaining() && ch.read(tail, size - n + tail.position()) > 0) {
                // read the rest
            }
            return lastMesg(new String(tail.array(), 0, tail.position(), StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The mesg= value of the last record that ends in CR (or LF); 0 when there is none. */
    static int lastMesg(String text) {
        int end = Math.max(text.lastIndexOf('\r'), text.lastIndexOf('\n'));
        while (end >= 0) {
            int start = Math.max(text.lastIndexOf('\r', end - 1), text.lastIndexOf('\n', end - 1)) + 1;
            String record = text.substring(start, end);
            int m = record.lastIndexOf("mesg=");
            if (m >= 0) {
                int i = m + 5;
                int j = i;
                while (j < record.length() && Character.isDigit(record.charAt(j))) {
                    j++;
                }
                if (j > i && j - i < 10) {
                    return Integer.parseInt(record.substring(i, j));
                }
            }
            end = start - 1;
        }
        return 0;
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
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        boolean pipelining;
        boolean size;

        Connection(Socket socket) throws IOException {
            upgrade(socket);
        }

        /** Talks over {@code next} from now on (after STARTTLS); nothing read before is kept. */
        void upgrade(Socket next) throws IOException {
            this.socket = next;
            this.in = new BufferedInputStream(next.getInputStream(), 8 * 1024);
            this.out = new BufferedOutputStream(next.getOutputStream(), 64 * 1024);
        }

        /** EHLO; the extension keywords offered, upper case, without their parameters. */
        Set<String> ehlo() throws IOException {
            write("EHLO " + options.helo() + "\r\n");
            flush();
            Reply reply = expect(read(), 250, "EHLO");
            Set<String> extensions = new HashSet<>();
            for (String l : reply.lines().subList(1, reply.lines().size())) {
                String keyword = l.length() > 4 ? l.substring(4).strip().toUpperCase(Locale.ROOT) : "";
                int space = keyword.indexOf(' ');
                extensions.add(space < 0 ? keyword : keyword.substring(0, space));
            }
            return extensions;
        }

        Reply expect(Reply reply, int code, String step) throws IOException {
            if (reply.code() != code) {
                throw new IOException(step + ": " + reply);
            }
            return reply;
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

package org.osprey.delivery.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLSocket;
import org.osprey.core.tls.TlsContext;
import org.osprey.core.tls.TlsException;

/**
 * A scriptable SMTP server for tests, on a real socket. It offers the extensions a test turns on, answers each
 * step with the reply the test sets (a function of the argument for MAIL and RCPT), and records what it got: every
 * command line with its connection and the read it arrived in (commands that arrive in one read were pipelined),
 * and every message with its envelope, the data as sent (dot-stuffed) and as meant, and whether TLS was on.
 * STARTTLS uses core's self-signed certificate for {@link #CERT_NAME}.
 */
public final class TestSmtpServer implements AutoCloseable {
    static final String CERT_NAME = "mx1.example.test";

    record Command(int connection, int read, boolean tls, String line) {
    }

    public record Received(int connection, String mailFrom, List<String> rcptTo, byte[] wire, byte[] data, boolean tls,
                    String authUser) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        String wireText() {
            return new String(wire, StandardCharsets.UTF_8);
        }
    }

    private static TlsContext tlsContext;

    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    final List<Command> commands = new CopyOnWriteArrayList<>();
    public final List<Received> messages = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();
    private final AtomicInteger inData = new AtomicInteger();
    private final AtomicInteger maxInData = new AtomicInteger();

    // the script; set before the client connects
    volatile String greeting = "220 " + CERT_NAME + " ESMTP test";
    volatile String ehloReply; // null: the normal multi-line reply
    public volatile boolean startTls;
    volatile boolean implicitTls; // TLS from the first byte, as on port 465
    volatile boolean pipelining = true;
    volatile boolean eightBitMime = true;
    volatile boolean smtpUtf8;
    volatile long size = 10_000_000; // -1: SIZE not offered
    volatile String authUser; // null: AUTH not offered
    volatile String authPassword;
    volatile String startTlsReply = "220 2.0.0 Ready to start TLS";
    volatile boolean brokenTls; // sends junk instead of a TLS handshake
    volatile Function<String, String> mailReply = from -> "250 2.1.0 Ok";
    public volatile Function<String, String> rcptReply = to -> "250 2.1.5 Ok";
    volatile String dataReply = "354 End data with <CR><LF>.<CR><LF>";
    volatile String endOfDataReply = "250 2.0.0 Ok: queued as TEST1";
    volatile Duration endOfDataDelay = Duration.ZERO;
    volatile String dropAt; // a verb at which the connection is closed without a reply

    private TestSmtpServer(ServerSocket listener) {
        this.listener = listener;
        Thread.ofVirtual().name("test-smtp-accept").start(this::accept);
    }

    public static TestSmtpServer start() throws IOException {
        return start("127.0.0.1", 0);
    }

    static TestSmtpServer start(String address, int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.ofLiteral(address), port));
        return new TestSmtpServer(socket);
    }

    /** The server's TLS certificate, made once per test run. */
    static synchronized TlsContext tls() {
        if (tlsContext == null) {
            try {
                Path dir = Files.createTempDirectory("osprey-remote-test-tls");
                tlsContext = TlsContext.selfSigned(dir, CERT_NAME);
            } catch (IOException | TlsException e) {
                throw new IllegalStateException(e);
            }
        }
        return tlsContext;
    }

    public int port() {
        return listener.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    int maxActive() {
        return maxActive.get();
    }

    /** The most transactions that were between 354 and the final reply at the same time. */
    int maxConcurrentData() {
        return maxInData.get();
    }

    List<String> verbs() {
        return commands.stream().map(c -> c.line().split(" ", 2)[0].toUpperCase(Locale.ROOT)).toList();
    }

    Command command(String prefix) {
        return commands.stream().filter(c -> c.line().regionMatches(true, 0, prefix, 0, prefix.length()))
            .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " in " + commands));
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                int id = connections.incrementAndGet();
                open.add(socket);
                Thread.ofVirtual().name("test-smtp-" + id).start(() -> {
                    maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
                    try {
                        new Session(socket, id).run();
                    } catch (IOException e) {
                        // the client went away
                    } finally {
                        active.decrementAndGet();
                        open.remove(socket);
                        try {
                            socket.close();
                        } catch (IOException ignored) {
                            // closing
                        }
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Closes the idle connections as a server with a short idle timeout would. */
    void dropConnections() throws IOException {
        for (Socket socket : open) {
            socket.close();
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        dropConnections();
    }

    /** A line reader that counts the reads from the socket, so that pipelined commands can be recognised. */
    private static final class Input {
        private final InputStream in;
        private final byte[] buffer = new byte[65536];
        private int position;
        private int limit;
        int reads;

        Input(InputStream in) {
            this.in = in;
        }

        /** One line with its CRLF, or null at the end. */
        byte[] line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer);
                    position = 0;
                    reads++;
                    if (limit < 0) {
                        limit = 0;
                        return line.size() == 0 ? null : line.toByteArray();
                    }
                }
                byte b = buffer[position++];
                line.write(b);
                if (b == '\n') {
                    return line.toByteArray();
                }
            }
        }
    }

    private final class Session {
        private final Socket plain;
        private final int id;
        private Socket socket;
        private Input in;
        private OutputStream out;
        private boolean tls;
        private String authenticated;
        private String mailFrom;
        private final List<String> rcptTo = new ArrayList<>();

        Session(Socket socket, int id) throws IOException {
            this.plain = socket;
            this.id = id;
            use(socket);
        }

        private void use(Socket s) throws IOException {
            socket = s;
            in = new Input(s.getInputStream());
            out = s.getOutputStream();
        }

        void run() throws IOException {
            if (implicitTls) {
                SSLSocket tlsSocket = tls().wrapServer(plain);
                tlsSocket.startHandshake();
                use(tlsSocket);
                tls = true;
            }
            reply(greeting);
            if (greeting.startsWith("421")) {
                return;
            }
            while (true) {
                byte[] bytes = in.line();
                if (bytes == null) {
                    return;
                }
                String line = new String(bytes, StandardCharsets.UTF_8).strip();
                commands.add(new Command(id, in.reads, tls, line));
                String[] words = line.split(" ", 2);
                String verb = words[0].toUpperCase(Locale.ROOT);
                String argument = words.length > 1 ? words[1] : "";
                if (verb.equals(dropAt)) {
                    return;
                }
                switch (verb) {
                    case "EHLO" -> reply(ehloReply != null ? ehloReply : ehlo());
                    case "HELO" -> reply("250 " + CERT_NAME);
                    case "STARTTLS" -> {
                        if (!startTls || tls) {
                            reply("502 5.5.1 not offered");
                        } else {
                            reply(startTlsReply);
                            if (startTlsReply.startsWith("220") && !startTls()) {
                                return;
                            }
                        }
                    }
                    case "AUTH" -> auth(argument);
                    case "MAIL" -> {
                        String reply = mailReply.apply(argument);
                        if (reply.startsWith("2")) {
                            mailFrom = argument;
                            rcptTo.clear();
                        }
                        reply(reply);
                    }
                    case "RCPT" -> {
                        String address = argument.replaceFirst("(?i)^TO:<([^>]*)>.*$", "$1");
                        String reply = mailFrom == null ? "503 5.5.1 MAIL first" : rcptReply.apply(address);
                        if (reply.startsWith("2")) {
                            rcptTo.add(address);
                        }
                        reply(reply);
                    }
                    case "DATA" -> data();
                    case "RSET" -> {
                        mailFrom = null;
                        rcptTo.clear();
                        reply("250 2.0.0 Ok");
                    }
                    case "NOOP" -> reply("250 2.0.0 Ok");
                    case "QUIT" -> {
                        reply("221 2.0.0 Bye");
                        return;
                    }
                    default -> reply("502 5.5.2 command not recognized");
                }
            }
        }

        private String ehlo() {
            List<String> lines = new ArrayList<>();
            lines.add(CERT_NAME);
            if (pipelining) {
                lines.add("PIPELINING");
            }
            if (size >= 0) {
                lines.add("SIZE " + size);
            }
            if (startTls && !tls) {
                lines.add("STARTTLS");
            }
            if (authUser != null) {
                lines.add("AUTH PLAIN LOGIN");
            }
            if (eightBitMime) {
                lines.add("8BITMIME");
            }
            if (smtpUtf8) {
                lines.add("SMTPUTF8");
            }
            lines.add("ENHANCEDSTATUSCODES");
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                sb.append("250").append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i));
                if (i < lines.size() - 1) {
                    sb.append("\r\n");
                }
            }
            return sb.toString();
        }

        private boolean startTls() throws IOException {
            if (brokenTls) {
                out.write("this is not TLS\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return false;
            }
            SSLSocket tlsSocket = tls().wrapServer(plain);
            try {
                tlsSocket.startHandshake();
            } catch (IOException e) {
                return false;
            }
            use(tlsSocket);
            tls = true;
            mailFrom = null;
            rcptTo.clear();
            return true;
        }

        private void auth(String argument) throws IOException {
            String[] words = argument.split(" ");
            String mechanism = words[0].toUpperCase(Locale.ROOT);
            String user;
            String password;
            if (mechanism.equals("PLAIN")) {
                String response = words.length > 1 ? words[1] : challenge("");
                String[] parts = decode(response).split("\0", -1);
                user = parts.length == 3 ? parts[1] : "";
                password = parts.length == 3 ? parts[2] : "";
            } else if (mechanism.equals("LOGIN")) {
                user = decode(challenge("VXNlcm5hbWU6"));
                password = decode(challenge("UGFzc3dvcmQ6"));
            } else {
                reply("504 5.5.4 unrecognized authentication type");
                return;
            }
            if (user.equals(authUser) && password.equals(authPassword)) {
                authenticated = user;
                reply("235 2.7.0 Authentication successful");
            } else {
                reply("535 5.7.8 Error: authentication failed");
            }
        }

        private String challenge(String text) throws IOException {
            reply("334 " + text);
            byte[] line = in.line();
            return line == null ? "" : new String(line, StandardCharsets.US_ASCII).strip();
        }

        private static String decode(String base64) {
            try {
                return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "";
            }
        }

        private void data() throws IOException {
            if (mailFrom == null || rcptTo.isEmpty()) {
                reply("503 5.5.1 Error: no valid recipients"); // RFC 2920 §3.1
                return;
            }
            reply(dataReply);
            if (!dataReply.startsWith("354")) {
                return;
            }
            maxInData.accumulateAndGet(inData.incrementAndGet(), Math::max);
            try {
                receive();
            } finally {
                inData.decrementAndGet();
            }
        }

        private void receive() throws IOException {
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            while (true) {
                byte[] line = in.line();
                if (line == null) {
                    return; // the client went away before the end: nothing was received
                }
                if (line.length == 3 && line[0] == '.' && line[1] == '\r' && line[2] == '\n') {
                    break;
                }
                wire.write(line);
                int skip = line.length > 0 && line[0] == '.' ? 1 : 0;
                data.write(line, skip, line.length - skip);
            }
            messages.add(new Received(id, mailFrom, List.copyOf(rcptTo), wire.toByteArray(), data.toByteArray(),
                tls, authenticated));
            mailFrom = null;
            rcptTo.clear();
            if (!endOfDataDelay.isZero()) {
                try {
                    Thread.sleep(endOfDataDelay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            reply(endOfDataReply);
        }

        private void reply(String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}

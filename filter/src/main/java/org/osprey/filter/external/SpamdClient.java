package org.osprey.filter.external;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client for SpamAssassin's spamd, speaking the spamc protocol (SPAMC/1.5) over TCP ({@code 127.0.0.1:783},
 * {@code [::1]:783}) or a Unix domain socket ({@code unix:/run/spamd.sock}).
 *
 * <p>One request per connection, as spamc does: {@code SYMBOLS} with {@code Content-length} and, when given, a
 * {@code User} (whose preferences spamd applies), then the message; spamd answers {@code SPAMD/1.1 0 EX_OK}, a
 * {@code Spam: True ; 1003.3 / 5.0} header and the names of the rules that fired, comma-separated — the score and
 * the rules in one round trip. Any other status ({@code SPAMD/1.0 76 Bad header line: ...}, a sysexits code), a
 * refused connection, a timeout or a reply that is not spamd's becomes a {@link ScannerException}.
 *
 * <p>Timeouts: connecting is bounded by the connect timeout, the whole exchange (connect, send, spamd's scan, reply)
 * by the overall timeout. Both are enforced by closing the channel when they run out, which works the same for TCP
 * and Unix sockets (a Unix socket channel has no SO_TIMEOUT). One instance is safe to share between threads.
 */
public final class SpamdClient {
    /** spamd's SYMBOLS reply is a status line, two headers and a list of rule names: far below this. */
    static final int MAX_REPLY = 64 * 1024;
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("spamd-deadlines").factory());
    private static final Pattern STATUS = Pattern.compile("SPAMD/(\\d+\\.\\d+) +(\\d+) *(.*)");
    private static final Pattern SPAM = Pattern.compile(
            "(true|false|yes|no) *; *(-?[0-9]+(?:\\.[0-9]+)?) */ *(-?[0-9]+(?:\\.[0-9]+)?)", Pattern.CASE_INSENSITIVE);
    /** A User value goes into a request line as is: printable ASCII without spaces only. */
    private static final Pattern SAFE_USER = Pattern.compile("[\\x21-\\x7e]{1,255}");
    /** The sysexits.h codes spamd answers with, for the log. */
    private static final Map<Integer, String> EXIT_CODES = Map.ofEntries(Map.entry(64, "EX_USAGE"),
            Map.entry(65, "EX_DATAERR"), Map.entry(66, "EX_NOINPUT"), Map.entry(67, "EX_NOUSER"),
            Map.entry(68, "EX_NOHOST"), Map.entry(69, "EX_UNAVAILABLE"), Map.entry(70, "EX_SOFTWARE"),
            Map.entry(71, "EX_OSERR"), Map.entry(72, "EX_OSFILE"), Map.entry(73, "EX_CANTCREAT"),
            Map.entry(74, "EX_IOERR"), Map.entry(75, "EX_TEMPFAIL"), Map.entry(76, "EX_PROTOCOL"),
            Map.entry(77, "EX_NOPERM"), Map.entry(78, "EX_CONFIG"), Map.entry(79, "EX_TIMEOUT"));

    private final ScannerAddress address;
    private final Duration connectTimeout;
    private final Duration timeout;

    /**
     * @param address {@code host:port}, {@code [v6-address]:port} or {@code unix:/path}
     * @param connectTimeout bound for connecting
     * @param timeout bound for the whole exchange, spamd's scan included
     * @throws IllegalArgumentException when the address has neither form or a timeout is not positive
     */
    public SpamdClient(String address, Duration connectTimeout, Duration timeout) {
        this.address = ScannerAddress.parse(Objects.requireNonNull(address, "address"));
        if (!connectTimeout.isPositive() || !timeout.isPositive()) {
            throw new IllegalArgumentException("spamd timeouts must be positive");
        }
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
    }

    public String address() {
        return address.text();
    }

    /**
     * Has spamd score one message (CRLF line endings, as it will be delivered).
     *
     * @param user whose SpamAssassin preferences apply; left out when empty or not a plain token
     */
    public SpamdReport check(byte[] message, Optional<String> user) throws ScannerException {
        var request = new StringBuilder("SYMBOLS SPAMC/1.5\r\n")
                .append("Content-length: ").append(message.length).append("\r\n");
        user.filter(u -> SAFE_USER.matcher(u).matches())
                .ifPresent(u -> request.append("User: ").append(u).append("\r\n"));
        request.append("\r\n");
        return parseReply(exchange(request.toString().getBytes(StandardCharsets.US_ASCII), message));
    }

    private byte[] exchange(byte[] head, byte[] message) throws ScannerException {
        SocketAddress target = address.resolve();
        if (target instanceof InetSocketAddress inet && inet.isUnresolved()) {
            throw failure("unknown host " + inet.getHostString());
        }
        long start = System.nanoTime();
        SocketChannel channel;
        try {
            channel = SocketChannel.open(address.isUnix() ? StandardProtocolFamily.UNIX
                    : ((InetSocketAddress) target).getAddress() instanceof Inet6Address
                            ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        } catch (IOException e) {
            throw failure("cannot open a socket: " + describe(e));
        }
        var deadline = new Deadline(channel);
        try (channel) {
            try {
                deadline.arm(connectTimeout);
                channel.connect(target);
            } catch (IOException e) {
                throw failure(deadline.fired() ? "connect timed out after " + ScannerException.seconds(connectTimeout)
                        : "cannot connect: " + describe(e));
            }
            deadline.arm(timeout.minusNanos(System.nanoTime() - start));
            try {
                write(channel, head, message);
            } catch (IOException e) {
                if (deadline.fired()) {
                    throw failure("timed out sending after " + ScannerException.seconds(timeout));
                }
                // spamd may have answered early (an error) and closed: its reply can still be waiting, read it
            }
            try {
                byte[] reply = Channels.newInputStream(channel).readNBytes(MAX_REPLY + 1);
                if (reply.length > MAX_REPLY) {
                    throw failure("reply longer than " + MAX_REPLY + " bytes");
                }
                if (reply.length == 0) {
                    throw failure("closed the connection without a reply");
                }
                return reply;
            } catch (ScannerException e) {
                throw e;
            } catch (IOException e) {
                throw failure(deadline.fired() ? "no reply within " + ScannerException.seconds(timeout)
                        : "connection lost: " + describe(e));
            }
        } catch (IOException e) {
            throw e instanceof ScannerException se ? se : failure(describe(e));
        } finally {
            deadline.disarm();
        }
    }

    private static void write(SocketChannel channel, byte[] head, byte[] message) throws IOException {
        ByteBuffer[] buffers = {ByteBuffer.wrap(head), ByteBuffer.wrap(message)};
        while (buffers[1].hasRemaining()) {
            channel.write(buffers);
        }
        // As spamc does: the end of our half tells spamd nothing more is coming.
        channel.shutdownOutput();
    }

    /** Parses spamd's reply to SYMBOLS; anything but a complete EX_OK answer with a Spam header is a failure. */
    SpamdReport parseReply(byte[] reply) throws ScannerException {
        int headEnd = indexOf(reply, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String head = new String(reply, 0, headEnd < 0 ? reply.length : headEnd, StandardCharsets.ISO_8859_1);
        List<String> lines = Arrays.asList(head.split("\r\n", -1));
        Matcher status = STATUS.matcher(lines.getFirst().strip());
        if (!status.matches()) {
            throw failure("not a spamd reply: " + ScannerException.printable(lines.getFirst(), 80));
        }
        int code = Integer.parseInt(status.group(2).length() > 3 ? "999" : status.group(2));
        if (code != 0) {
            throw failure("answered " + code + " " + EXIT_CODES.getOrDefault(code, "(unknown code)") + ": "
                    + ScannerException.printable(status.group(3), 160));
        }
        if (headEnd < 0) {
            throw failure("reply ends inside its header");
        }
        byte[] body = Arrays.copyOfRange(reply, headEnd + 4, reply.length);
        Matcher spam = null;
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = colon < 0 ? "" : line.substring(colon + 1).strip();
            if (name.equals("spam")) {
                spam = SPAM.matcher(value);
            } else if (name.equals("content-length") && !value.equals(String.valueOf(body.length))) {
                throw failure("reply body is " + body.length + " bytes, its Content-length says "
                        + ScannerException.printable(value, 20));
            }
        }
        if (spam == null || !spam.matches()) {
            throw failure("reply without a valid Spam header");
        }
        boolean isSpam = spam.group(1).equalsIgnoreCase("true") || spam.group(1).equalsIgnoreCase("yes");
        List<String> symbols = Arrays.stream(new String(body, StandardCharsets.US_ASCII).split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> ScannerException.printable(s, 80))
                .toList();
        return new SpamdReport(Double.parseDouble(spam.group(2)), Double.parseDouble(spam.group(3)), isSpam, symbols);
    }

    private ScannerException failure(String reason) {
        return new ScannerException("spamd at " + address + ": " + reason);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : ScannerException.printable(message, 160);
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Closes the channel when time runs out, which ends any blocked connect, write or read on it. */
    private static final class Deadline {
        private final SocketChannel channel;
        private final AtomicBoolean fired = new AtomicBoolean();
        private ScheduledFuture<?> pending;

        Deadline(SocketChannel channel) {
            this.channel = channel;
        }

        void arm(Duration after) {
            disarm();
            pending = DEADLINES.schedule(() -> {
                fired.set(true);
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing is all we wanted; the blocked call reports the failure
                }
            }, Math.max(1, after.toNanos()), TimeUnit.NANOSECONDS);
        }

        void disarm() {
            if (pending != null) {
                pending.cancel(false);
            }
        }

        boolean fired() {
            return fired.get();
        }
    }
}

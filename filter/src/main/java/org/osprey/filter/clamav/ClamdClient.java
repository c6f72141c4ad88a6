package org.osprey.filter.clamav;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A client for clamd's socket protocol, over a Unix domain socket ({@code unix:/run/clamav/clamd.ctl}) or TCP
 * ({@code 127.0.0.1:3310}, {@code [::1]:3310}).
 *
 * <p>Every call opens its own connection and closes it, so one instance is safe to share between threads. Only the
 * NUL-terminated {@code z} command forms are used. {@link #scan} streams the message with {@code zINSTREAM} in
 * chunks of at most {@value #CHUNK_SIZE} bytes (4-byte big-endian length, data, then a zero-length chunk) and never
 * holds the whole message in memory. Scans never throw: every failure becomes {@link ScanResult.Failed}.
 *
 * <p>Timeouts: the connect timeout bounds connecting; the read timeout bounds each wait for clamd (to accept more
 * bytes, or to send its reply after the last chunk, which includes the time it needs to scan). The channel is used in
 * non-blocking mode with a selector because a Unix domain socket channel has no SO_TIMEOUT.
 */
public final class ClamdClient {
    static final int CHUNK_SIZE = 64 * 1024;
    /** clamd's replies are one short line; anything longer is not clamd. */
    private static final int MAX_REPLY = 4096;

    private final String address;
    private final Endpoint endpoint;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    private sealed interface Endpoint {
        SocketAddress resolve();
    }

    private record Unix(Path path) implements Endpoint {
        public SocketAddress resolve() {
            return UnixDomainSocketAddress.of(path);
        }
    }

    private record Tcp(String host, int port) implements Endpoint {
        public SocketAddress resolve() {
            return new InetSocketAddress(host, port); // resolved per connection, so a changed DNS name is followed
        }
    }

    /**
     * @param address {@code unix:/path/to/clamd.ctl} or {@code host:port} ({@code [v6-address]:port} for IPv6)
     * @throws IllegalArgumentException when the address has neither form
     */
    public ClamdClient(String address, Duration connectTimeout, Duration readTimeout) {
        this.address = Objects.requireNonNull(address, "address");
        this.endpoint = parseAddress(address);
        if (!connectTimeout.isPositive() || !readTimeout.isPositive()) {
            throw new IllegalArgumentException("clamd timeouts must be positive");
        }
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    public String address() {
        return address;
    }

    static Endpoint parseAddress(String address) {
        if (address.startsWith("unix:")) {
            var path = address.substring("unix:".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("clamd address \"" + address + "\" has no socket path");
            }
            return new Unix(Path.of(path));
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException(
                    "clamd address \"" + address + "\" is neither unix:/path nor host:port");
        }
        var host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("clamd address \"" + address + "\": write an IPv6 host as [addr]:port");
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("clamd address \"" + address + "\" has a bad port");
        }
        return new Tcp(host, port);
    }

    /** Scans one message with zINSTREAM. Reads {@code message} to its end (or until clamd stops taking bytes). */
    public ScanResult scan(InputStream message) {
        try (var connection = connect()) {
            connection.send(ByteBuffer.wrap("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII)));
            var chunk = ByteBuffer.allocate(4 + CHUNK_SIZE);
            while (true) {
                chunk.clear();
                int n = message.readNBytes(chunk.array(), 4, CHUNK_SIZE);
                chunk.putInt(0, n).limit(4 + n);
                if (!connection.send(chunk)) {
                    // clamd answered before the end of the stream: in practice the size limit, read it below
                    break;
                }
                if (n == 0) {
                    break;
                }
            }
            return parseScanReply(connection.readReply());
        } catch (ClamdException e) {
            return new ScanResult.Failed(e.getMessage());
        } catch (IOException e) {
            return new ScanResult.Failed("clamd at " + address + ": " + describe(e));
        }
    }

    /** True when clamd answers zPING with PONG; false when it cannot be reached or answers anything else. */
    public boolean ping() {
        try {
            return "PONG".equals(command("zPING"));
        } catch (IOException e) {
            return false;
        }
    }

    /** clamd's version line, e.g. {@code ClamAV 1.4.6/27000/Thu Dec  4 09:00:00 2026}. */
    public String version() throws IOException {
        return command("zVERSION");
    }

    private String command(String name) throws IOException {
        try (var connection = connect()) {
            connection.send(ByteBuffer.wrap((name + "\0").getBytes(StandardCharsets.US_ASCII)));
            return connection.readReply();
        }
    }

    /**
     * Parses a zINSTREAM reply line (without its terminator). clamd writes {@code stream: OK},
     * {@code stream: <signature> FOUND}, {@code INSTREAM size limit exceeded. ERROR} or {@code <message> ERROR}.
     */
    static ScanResult parseScanReply(String reply) {
        if (reply.equals("stream: OK")) {
            return ScanResult.CLEAN;
        }
        if (reply.startsWith("stream: ") && reply.endsWith(" FOUND")) {
            var signature = reply.substring("stream: ".length(), reply.length() - " FOUND".length()).strip();
            if (!signature.isEmpty()) {
                return new ScanResult.Infected(signature);
            }
        }
        if (reply.startsWith("INSTREAM size limit exceeded")) {
            return new ScanResult.Failed("message exceeds clamd's StreamMaxLength");
        }
        if (reply.endsWith(" ERROR")) {
            return new ScanResult.Failed("clamd error: " + printable(reply.substring(0, reply.length() - 6)));
        }
        return new ScanResult.Failed("unexpected clamd reply: " + printable(reply));
    }

    private static String printable(String text) {
        var out = new StringBuilder();
        text.codePoints().limit(200).forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return out.toString();
    }

    private static String describe(IOException e) {
        var message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : printable(message);
    }

    private Connection connect() throws IOException {
        var target = endpoint.resolve();
        var channel = SocketChannel.open(target instanceof UnixDomainSocketAddress
                ? StandardProtocolFamily.UNIX
                : ((InetSocketAddress) target).getAddress() instanceof Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        Selector selector = null;
        try {
            if (target instanceof InetSocketAddress inet && inet.isUnresolved()) {
                throw new ClamdException("clamd at " + address + ": unknown host " + inet.getHostString());
            }
            channel.configureBlocking(false);
            selector = Selector.open();
            var connection = new Connection(channel, selector);
            if (!channel.connect(target)) {
                channel.register(selector, SelectionKey.OP_CONNECT);
                if (selector.select(connectTimeout.toMillis()) == 0) {
                    throw new ClamdException("clamd at " + address + ": connect timed out after " + connectTimeout);
                }
                channel.finishConnect();
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            if (e instanceof ClamdException) {
                throw e;
            }
            throw new ClamdException("clamd at " + address + ": cannot connect: " + describe(
                    e instanceof IOException io ? io : new IOException(e.toString())));
        }
    }

    /** One open connection; every wait is bounded by the read timeout. */
    private final class Connection implements AutoCloseable {
        private final SocketChannel channel;
        private final Selector selector;

        Connection(SocketChannel channel, Selector selector) {
            this.channel = channel;
            this.selector = selector;
        }

        /**
         * Writes all of {@code buffer}. Returns false, leaving the rest unsent, when clamd has started to reply
         * instead of taking more bytes (it does so when the stream exceeds StreamMaxLength, then closes).
         */
        boolean send(ByteBuffer buffer) throws IOException {
            while (buffer.hasRemaining()) {
                int written;
                try {
                    written = channel.write(buffer);
                } catch (IOException e) {
                    // clamd may have closed after replying (size limit): its reply is then waiting to be read
                    return false;
                }
                if (written == 0) {
                    var key = channel.register(selector, SelectionKey.OP_WRITE | SelectionKey.OP_READ);
                    if (selector.select(readTimeout.toMillis()) == 0) {
                        throw new ClamdException("clamd at " + address + ": timed out sending after " + readTimeout);
                    }
                    selector.selectedKeys().clear();
                    if (key.isReadable()) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** Reads one reply up to its NUL terminator (or end of stream) and returns it without the terminator. */
        String readReply() throws IOException {
            var reply = ByteBuffer.allocate(MAX_REPLY);
            long deadlineWait = readTimeout.toMillis();
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                int n;
                try {
                    n = channel.read(reply);
                } catch (IOException e) {
                    if (reply.position() > 0) {
                        break; // a reset after the reply: keep what arrived
                    }
                    throw new ClamdException("clamd at " + address + ": connection lost: " + describe(e));
                }
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    if (!reply.hasRemaining()) {
                        throw new ClamdException("clamd at " + address + ": reply longer than " + MAX_REPLY + " bytes");
                    }
                    if (selector.select(deadlineWait) == 0) {
                        throw new ClamdException("clamd at " + address + ": no reply within " + readTimeout);
                    }
                    selector.selectedKeys().clear();
                    continue;
                }
                if (indexOfNul(reply) >= 0) {
                    break;
                }
            }
            int end = indexOfNul(reply);
            if (end < 0) {
                end = reply.position();
            }
            if (end == 0) {
                throw new ClamdException("clamd at " + address + ": closed the connection without a reply");
            }
            return new String(reply.array(), 0, end, StandardCharsets.US_ASCII).strip();
        }

        private static int indexOfNul(ByteBuffer buffer) {
            for (int i = 0; i < buffer.position(); i++) {
                if (buffer.get(i) == 0) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public void close() throws IOException {
            try {
                selector.close();
            } finally {
                channel.close();
            }
        }
    }

    /** A failure whose message is already the one-line reason for {@link ScanResult.Failed}. */
    static final class ClamdException extends IOException {
        ClamdException(String message) {
            super(message);
        }
    }
}

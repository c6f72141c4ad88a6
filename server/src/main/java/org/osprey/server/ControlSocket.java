package org.osprey.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.osprey.delivery.DeliveryAgent;
import org.osprey.delivery.QueueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the CLI reaches the running server, as postqueue reaches Postfix's qmgr: a Unix socket
 * {@code <data_dir>/control.sock}, mode 0600, one command line per connection and one reply line. Commands:
 * {@code flush} (try every queued message now) and {@code flush ID} (one message, also used after release).
 * Whoever can open the socket can already read the data dir; nothing else is exposed.
 */
final class ControlSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlSocket.class);
    static final String FILE = "control.sock";

    private final Path path;
    private final ServerSocketChannel channel;
    private final DeliveryAgent delivery;

    private ControlSocket(Path path, ServerSocketChannel channel, DeliveryAgent delivery) {
        this.path = path;
        this.channel = channel;
        this.delivery = delivery;
    }

    static ControlSocket open(Path dataDir, DeliveryAgent delivery) throws IOException {
        Path path = dataDir.resolve(FILE);
        Files.deleteIfExists(path); // left by a server that did not stop cleanly
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(path));
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the data dir's own permissions protect it
        }
        var socket = new ControlSocket(path, channel, delivery);
        Thread.ofPlatform().name("control").daemon().start(socket::acceptLoop);
        return socket;
    }

    private void acceptLoop() {
        while (channel.isOpen()) {
            try {
                SocketChannel client = channel.accept();
                Thread.ofVirtual().name("control-client").start(() -> serve(client));
            } catch (IOException e) {
                if (channel.isOpen()) {
                    log.warn("control socket: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                    StandardCharsets.US_ASCII));
            String line = in.readLine();
            String reply = line == null ? "error empty command" : handle(line.strip());
            OutputStream out = Channels.newOutputStream(client);
            out.write((reply + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            log.debug("control client: {}", e.getMessage());
        }
    }

    private String handle(String line) {
        String[] words = line.split(" +");
        try {
            if (words.length == 1 && words[0].equals("flush")) {
                delivery.flush();
                log.info("queue flush requested");
                return "ok";
            }
            if (words.length == 2 && words[0].equals("flush") && QueueId.isValid(words[1])) {
                return delivery.flush(words[1]) ? "ok" : "error no such message: " + words[1];
            }
        } catch (IOException e) {
            return "error " + e.getMessage();
        }
        return "error unknown command";
    }

    /**
     * Sends one command to the running server; empty when no server listens (then the queue is worked when it
     * starts).
     */
    static Optional<String> send(Path dataDir, String command) throws IOException {
        Path path = dataDir.resolve(FILE);
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            OutputStream out = Channels.newOutputStream(client);
            out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                    StandardCharsets.US_ASCII));
            return Optional.ofNullable(in.readLine());
        } catch (java.net.SocketException e) {
            return Optional.empty(); // a socket file left behind by a stopped server
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("control socket close: {}", e.getMessage());
        }
    }
}

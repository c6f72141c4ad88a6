package org.osprey.core.net;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.osprey.core.tls.TlsContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Accepts connections on one address and serves each on its own virtual thread: admission against the
 * {@link ConnectionGate}, the implicit TLS handshake when the port asks for it, the protocol session, and the
 * replies for timeouts and overload. Every log line of a connection carries its id (MDC key "conn").
 */
public final class Listener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Listener.class);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicLong COUNTER = new AtomicLong(new SecureRandom().nextInt(1 << 20) * 1000L);

    private final String name;
    private final InetSocketAddress address;
    private final Protocol protocol;
    private final boolean implicitTls;
    private final TlsContext tls;
    private final ConnectionGate gate;
    private final java.util.concurrent.Semaphore platformThreads;
    private ServerSocket serverSocket;
    private Thread acceptor;
    private volatile boolean closing;

    /**
     * @param name        how the listener appears in logs, e.g. "smtp" or "imaps"
     * @param implicitTls TLS from the first byte (ports 465, 993, 995)
     * @param tls         the server certificate; null means no TLS at all (tests only)
     */
    public Listener(String name, InetSocketAddress address, Protocol protocol, boolean implicitTls, TlsContext tls,
                    ConnectionGate gate) {
        if (implicitTls && tls == null) {
            throw new IllegalArgumentException("implicit TLS needs a certificate");
        }
        this.name = name;
        this.address = address;
        this.protocol = protocol;
        this.implicitTls = implicitTls;
        this.tls = tls;
        this.gate = gate;
        this.platformThreads = new java.util.concurrent.Semaphore(protocol.platformThreadLimit());
    }

    /** Binds and starts accepting; throws when the address cannot be bound (in use, no permission). */
    public synchronized void start() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(address, 512);
        serverSocket = socket;
        acceptor = Thread.ofPlatform().name("accept-" + name).daemon().start(this::acceptLoop);
        log.info("{} listening on {}{}", name, describe(boundAddress()), implicitTls ? " (TLS)" : "");
    }

    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    public String name() {
        return name;
    }

    /** Stops accepting; sessions already running go on. */
    @Override
    public synchronized void close() {
        closing = true; // before the socket: the accept loop must see it whenever its accept returns
        if (serverSocket != null) {
            try {
                serverSocket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!serverSocket.isClosed()) {
                    log.warn("{} accept failed: {}", name, e.getMessage());
                }
                continue;
            }
            if (closing) {
                // An accept already blocked in the kernel keeps the port listening until it returns, so close()
                // can race with one more connection; a stopped listener must not serve it.
                closeQuietly(socket);
                return;
            }
            if (platformThreads.tryAcquire()) {
                Thread.ofPlatform().name(name + "-conn").daemon().start(() -> {
                    try {
                        serve(socket);
                    } finally {
                        platformThreads.release();
                    }
                });
            } else {
                Thread.ofVirtual().name(name + "-conn").start(() -> serve(socket));
            }
        }
    }

    private void serve(Socket socket) {
        String id = Long.toString(COUNTER.incrementAndGet(), 36).toUpperCase();
        MDC.put("conn", id);
        var client = (InetSocketAddress) socket.getRemoteSocketAddress();
        boolean admitted = gate.admit(client.getAddress());
        Connection connection = null;
        try {
            socket.setTcpNoDelay(true);
            connection = new Connection(id, socket, protocol, tls);
            log.debug("{} connect from {}", name, describe(client));
            if (implicitTls) {
                connection.setIdleTimeout(HANDSHAKE_TIMEOUT);
                connection.startImplicitTls();
                connection.setIdleTimeout(protocol.idleTimeout());
            }
            if (!admitted) {
                log.warn("{} refused {}: too many connections", name, describe(client));
                connection.write(protocol.tooManyConnectionsReply());
                connection.flush();
                return;
            }
            gate.register(connection);
            protocol.serve(connection);
        } catch (SocketTimeoutException e) {
            log.info("{} timeout from {}", name, describe(client));
            sayAndClose(connection, protocol.timeoutReply());
        } catch (TooManyErrorsException e) {
            log.info("{} too many errors from {}", name, describe(client));
            sayAndClose(connection, protocol.tooManyErrorsReply());
        } catch (SSLException e) {
            log.info("{} TLS handshake with {} failed: {}", name, describe(client), e.getMessage());
        } catch (EOFException e) {
            if (connection != null && connection.shutdownRequested()) {
                sayAndClose(connection, protocol.shutdownReply());
            } else {
                log.debug("{} {} disconnected: {}", name, describe(client), e.getMessage());
            }
        } catch (SocketException e) {
            if (connection == null || !connection.shutdownRequested()) {
                log.info("{} {} connection lost: {}", name, describe(client), e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            // A bug or an I/O failure ends this session only; the listener and other sessions go on.
            log.error("{} session with {} failed", name, describe(client), e);
        } finally {
            if (connection != null) {
                gate.unregister(connection);
                connection.close();
            } else {
                closeQuietly(socket);
            }
            if (admitted) {
                gate.release(client.getAddress());
            }
            MDC.remove("conn");
        }
    }

    private static void sayAndClose(Connection connection, String reply) {
        if (connection == null) {
            return;
        }
        try {
            connection.write(reply);
            connection.flush();
        } catch (IOException ignored) {
            // the client is gone already
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    static String describe(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}

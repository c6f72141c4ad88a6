package org.osprey.core.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * A listener on 127.0.0.1 that does what the mail server does with a {@link TlsContext}: accepts in a virtual
 * thread, wraps, handshakes, then writes one byte ('k') and closes. Each handshake's result is queued for the test.
 */
final class TlsTestServer implements AutoCloseable {

    /** The server's side of one handshake: the protocol, or why it failed. */
    record Outcome(String protocol, String cipherSuite, Exception failure) {
    }

    private final ServerSocket listener;
    private final Thread acceptor;
    private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

    TlsTestServer(TlsContext tls) {
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = Thread.ofVirtual().name("tls-test-server").start(() -> serve(tls));
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The next handshake's result on the server side. */
    Outcome nextOutcome() throws InterruptedException {
        Outcome outcome = outcomes.poll(10, TimeUnit.SECONDS);
        if (outcome == null) {
            throw new AssertionError("no handshake reached the server");
        }
        return outcome;
    }

    private void serve(TlsContext tls) {
        while (!listener.isClosed()) {
            try (Socket plain = listener.accept()) {
                plain.setSoTimeout(5_000);
                try (SSLSocket socket = tls.wrapServer(plain)) {
                    socket.startHandshake();
                    outcomes.add(new Outcome(socket.getSession().getProtocol(),
                        socket.getSession().getCipherSuite(), null));
                    socket.getOutputStream().write('k');
                    socket.getOutputStream().flush();
                } catch (IOException e) {
                    outcomes.add(new Outcome(null, null, e));
                }
            } catch (IOException e) {
                // the listener was closed
            }
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
            acceptor.join(Duration.ofSeconds(5));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.osprey.filter.external;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/**
 * A loopback TCP server for what a real scanner will not do on demand: answer with an error or garbage, hang, or
 * drop the connection. Each connection gets {@link Behaviour#serve}; what clients sent is kept for assertions.
 */
final class FakeServer implements AutoCloseable {
    @FunctionalInterface
    interface Behaviour {
        void serve(InputStream in, OutputStream out) throws IOException;
    }

    private final ServerSocket listener;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    FakeServer(Behaviour behaviour) throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket connection = listener.accept();
                    connections.add(connection);
                    Thread.ofVirtual().start(() -> {
                        try (connection) {
                            behaviour.serve(connection.getInputStream(), connection.getOutputStream());
                        } catch (IOException ignored) {
                            // the client went away: nothing to serve
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return listener.getLocalPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    /** Reads a request header up to its blank line (CRLF CRLF). */
    static String readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        int c;
        while (matched < 4 && (c = in.read()) >= 0) {
            head.write(c);
            matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        return head.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket connection : connections) {
            connection.close();
        }
    }
}

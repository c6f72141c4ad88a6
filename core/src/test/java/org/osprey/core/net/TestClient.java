package org.osprey.core.net;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.osprey.core.tls.TestTls;

/**
 * The client side of the tests: a socket on 127.0.0.1 read one byte at a time (so nothing is read ahead of a
 * STARTTLS), every read bounded by a timeout so a missing reply fails the test instead of hanging it.
 */
final class TestClient implements AutoCloseable {
    static final String TLS_HOSTNAME = "mail.osprey.test";
    private static final int READ_TIMEOUT_MS = 5_000;

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private TestClient(Socket socket) throws IOException {
        bind(socket);
    }

    static TestClient connect(int port) throws IOException {
        return connectFrom(InetAddress.getByName("127.0.0.1"), port);
    }

    /** Connects from another loopback address (all of 127/8 is local on Linux), to be another client IP. */
    static TestClient connectFrom(InetAddress local, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(local, 0));
        socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), READ_TIMEOUT_MS);
        return new TestClient(socket);
    }

    /** Connects and handshakes at once, as for an implicit TLS port. */
    static TestClient connectTls(SSLContext context, int port) throws IOException {
        TestClient client = connect(port);
        client.startTls(context);
        return client;
    }

    /** A client context whose only trust anchors are these certificates (see {@link TestTls#trusting}). */
    static SSLContext trusting(List<X509Certificate> chain) {
        return TestTls.trusting(chain);
    }

    /** Upgrades this connection: TLS 1.3 only, checking that the certificate names {@link #TLS_HOSTNAME}. */
    void startTls(SSLContext context) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory()
            .createSocket(socket, TLS_HOSTNAME, socket.getPort(), true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setProtocols(new String[] {"TLSv1.3"});
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        bind(ssl);
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The next line without its CRLF, or null when the server closed the connection. */
    String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw new EOFException("closed inside a line: " + line.toString(StandardCharsets.UTF_8));
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
    }

    /** Everything the server still sends until it closes; a reset counts as closed too. */
    String readToEnd() throws IOException {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        try {
            for (int b = in.read(); b >= 0; b = in.read()) {
                rest.write(b);
            }
        } catch (SocketException e) {
            // reset by the server: closed as well
        }
        return rest.toString(StandardCharsets.ISO_8859_1);
    }

    /** The greeting's connection id ("+OK hello ID"). */
    String greetingId() throws IOException {
        String greeting = line();
        if (greeting == null || !greeting.startsWith("+OK hello ")) {
            throw new AssertionError("expected a greeting, got " + greeting);
        }
        return greeting.substring("+OK hello ".length());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void bind(Socket socket) throws IOException {
        socket.setSoTimeout(READ_TIMEOUT_MS);
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }
}

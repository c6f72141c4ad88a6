package org.osprey.pop3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A minimal POP3 client for tests: one-line and multi-line (dot-terminated, un-stuffed) responses. */
final class Pop3Client implements Closeable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    final String greeting;

    private Pop3Client(Socket socket) throws IOException {
        attach(socket);
        greeting = readLine();
    }

    static Pop3Client plain(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(20_000);
        return new Pop3Client(s);
    }

    static Pop3Client tls(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(20_000);
        SSLSocket ssl = (SSLSocket) trustAll().getSocketFactory().createSocket(s, "localhost", port, true);
        ssl.startHandshake();
        return new Pop3Client(ssl);
    }

    static Pop3Client login(int port, String user) throws IOException {
        Pop3Client c = tls(port);
        c.command("USER " + user + "@example.org");
        String r = c.command("PASS " + user + "-secret");
        if (!r.startsWith("+OK")) {
            throw new AssertionError("login failed: " + r);
        }
        return c;
    }

    void startTls() throws IOException {
        SSLSocket ssl = (SSLSocket) trustAll().getSocketFactory().createSocket(socket, "localhost",
                socket.getPort(), true);
        ssl.startHandshake();
        attach(ssl);
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    String command(String line) throws IOException {
        send(line + "\r\n");
        return readLine();
    }

    /** The status line and, when it is +OK, the lines of the multi-line body. */
    List<String> multiline(String line) throws IOException {
        List<String> lines = new ArrayList<>();
        String status = command(line);
        lines.add(status);
        if (!status.startsWith("+OK")) {
            return lines;
        }
        while (true) {
            String l = readLine();
            if (l.equals(".")) {
                return lines;
            }
            lines.add(l.startsWith(".") ? l.substring(1) : l);
        }
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = line.toByteArray();
                if (b.length == 0 || b[b.length - 1] != '\r') {
                    throw new AssertionError("line without CRLF: " + line);
                }
                return new String(b, 0, b.length - 1, StandardCharsets.UTF_8);
            }
            line.write(c);
        }
        throw new EOFException("closed");
    }

    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
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
            }}, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.osprey.sieve.managesieve;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A raw ManageSieve client for tests: lines as the server sends them (literal octets included, split at CRLF like
 * any other line), and transcripts of whole dialogues:
 * <pre>
 * C: PUTSCRIPT "main" {5+}     sent with CRLF appended
 * C: keep;
 * S: OK "Putscript completed." the next line must be exactly this
 * S~ NO \(QUOTA.*              the next line must match this regular expression
 * </pre>
 */
final class SieveClient implements Closeable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private SieveClient(Socket socket) throws IOException {
        attach(socket);
    }

    /** Connected, greeting not read. */
    static SieveClient connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(20_000);
        return new SieveClient(s);
    }

    /** Connected, through STARTTLS, logged in as user@example.org; every response up to here read. */
    static SieveClient login(int port, String user) throws IOException {
        SieveClient c = connect(port);
        c.response();
        c.startTls();
        String plain = Base64.getEncoder().encodeToString(("\0" + user + "@example.org\0" + user + "-secret")
                .getBytes(StandardCharsets.UTF_8));
        List<String> r = c.command("AUTHENTICATE \"PLAIN\" \"" + plain + "\"");
        if (!r.getLast().startsWith("OK")) {
            throw new AssertionError("login failed: " + r);
        }
        return c;
    }

    /** Sends STARTTLS, expects OK, does the handshake and reads the capabilities that follow. */
    List<String> startTls() throws IOException {
        send("STARTTLS\r\n");
        return startTlsAfterOk();
    }

    /** For a STARTTLS already sent: reads its OK, does the handshake, reads the capabilities that follow. */
    List<String> startTlsAfterOk() throws IOException {
        assertThat(readLine()).startsWith("OK");
        SSLSocket ssl = (SSLSocket) trustAll().getSocketFactory().createSocket(socket, "localhost",
                socket.getPort(), true);
        ssl.startHandshake();
        attach(ssl);
        return response();
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    /** Sends one command line and reads its whole response. */
    List<String> command(String line) throws IOException {
        send(line + "\r\n");
        return response();
    }

    /** Lines up to and including the first that starts with OK, NO or BYE. */
    List<String> response() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            lines.add(line);
            if (line.startsWith("OK") || line.startsWith("NO") || line.startsWith("BYE")) {
                return lines;
            }
        }
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
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

    byte[] readBytes(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("closed inside a literal");
        }
        return b;
    }

    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    /** Runs a C:/S: transcript (see the class comment); consecutive C: lines go out in one write. */
    void transcript(String script) throws IOException {
        StringBuilder pending = new StringBuilder();
        int number = 0;
        for (String line : script.split("\n", -1)) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            // a text block strips trailing spaces: "C:" alone is an empty line sent
            String tag = line.length() >= 3 ? line.substring(0, 3) : line + " ";
            String body = line.length() > 3 ? line.substring(3) : "";
            switch (tag) {
                case "C: " -> pending.append(body).append("\r\n");
                case "S: ", "S~ " -> {
                    if (!pending.isEmpty()) {
                        send(pending.toString());
                        pending.setLength(0);
                    }
                    String actual = readLine();
                    if (tag.equals("S: ")) {
                        assertThat(actual).as("transcript line %d", number).isEqualTo(body);
                    } else {
                        assertThat(actual).as("transcript line %d", number).matches(body);
                    }
                }
                default -> throw new IllegalArgumentException("transcript line " + number + ": " + line);
            }
        }
        if (!pending.isEmpty()) {
            send(pending.toString());
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

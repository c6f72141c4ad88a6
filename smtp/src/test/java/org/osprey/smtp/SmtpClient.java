package org.osprey.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A raw SMTP client for tests: writes exactly the bytes it is given (so tests can pipeline, send bare LFs or split
 * BDAT chunks anywhere) and reads replies line by line. STARTTLS trusts any certificate.
 */
final class SmtpClient implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    /** Everything exchanged, for failure messages. */
    private final StringBuilder log = new StringBuilder();

    private SmtpClient(Socket socket) throws IOException {
        bind(socket);
    }

    static SmtpClient connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
        return new SmtpClient(socket);
    }

    private void bind(Socket s) throws IOException {
        this.socket = s;
        this.in = new BufferedInputStream(s.getInputStream());
        this.out = s.getOutputStream();
    }

    /** One reply: its code and every line as received (without CRLF). */
    record Reply(int code, List<String> lines) {
        String last() {
            return lines.getLast();
        }

        String text() {
            return String.join("\n", lines);
        }
    }

    /** Sends text (UTF-8) as it is, in one write. */
    void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        String shown = new String(bytes, 0, Math.min(bytes.length, 2000), StandardCharsets.UTF_8);
        log.append("C: ").append(shown.replace("\r", "\\r").replace("\n", "\\n\n   ")).append('\n');
    }

    /** The socket's output for bulk data (not logged); the caller flushes. */
    OutputStream rawOutput() {
        return out;
    }

    /** Sends one command line with CRLF. */
    void send(String line) throws IOException {
        write(line + "\r\n");
    }

    /** Sends a command and reads its reply. */
    Reply command(String line) throws IOException {
        send(line);
        return reply();
    }

    /** Sends a command and checks the reply code. */
    Reply command(String line, int expectedCode) throws IOException {
        send(line);
        return expect(expectedCode);
    }

    /** One line from the server without CRLF; null at end of stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
                log.append("S: ").append(text).append('\n');
                return text;
            }
            line.write(b);
        }
        if (line.size() > 0) {
            throw new IOException("connection closed inside a reply line: " + line);
        }
        return null;
    }

    /** A whole reply, multi-line ones included. */
    Reply reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed while waiting for a reply\n" + transcript());
            }
            if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                throw new IOException("not an SMTP reply line: " + line + "\n" + transcript());
            }
            lines.add(line);
            if (line.length() == 3 || line.charAt(3) != '-') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
    }

    Reply expect(int code) throws IOException {
        Reply reply = reply();
        assertThat(reply.code()).as("reply code of %s%n%s", reply.text(), transcript()).isEqualTo(code);
        return reply;
    }

    /** Reads the greeting and says EHLO. */
    Reply ehlo() throws IOException {
        expect(220);
        return command("EHLO client.example.net", 250);
    }

    /** MAIL, RCPT for each recipient (each must be accepted), DATA; then the message with dot-stuffing. */
    Reply sendMessage(String from, List<String> to, String message) throws IOException {
        command("MAIL FROM:<" + from + ">", 250);
        for (String rcpt : to) {
            command("RCPT TO:<" + rcpt + ">", 250);
        }
        command("DATA", 354);
        write(dotStuff(message) + ".\r\n");
        return reply();
    }

    static String dotStuff(String message) {
        String stuffed = message.startsWith(".") ? "." + message : message;
        return stuffed.replace("\r\n.", "\r\n..");
    }

    /** True when the server closes the connection (end of stream, or a reset) before sending anything more. */
    boolean closedByServer() throws IOException {
        try {
            int b = in.read();
            if (b >= 0) {
                throw new AssertionError("expected the server to close, but it sent more: " + (char) b
                        + "\n" + transcript());
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset: closed with our unread bytes still in its buffer
        }
    }

    /** STARTTLS; on 220 the TLS handshake, trusting any certificate. */
    void startTls() throws Exception {
        command("STARTTLS", 220);
        handshake();
    }

    /** The TLS handshake on this connection, once the server has said 220 to STARTTLS. */
    void handshake() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAll()}, null);
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(),
                true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        log.append("-- TLS ").append(ssl.getSession().getProtocol()).append(' ')
                .append(ssl.getSession().getCipherSuite()).append('\n');
        bind(ssl);
    }

    SSLSocket tlsSocket() {
        return (SSLSocket) socket;
    }

    String transcript() {
        return "--- transcript ---\n" + log + "------------------";
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Tests only: the server's certificate is self-signed. */
    static final class TrustAll implements X509TrustManager {
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
    }
}

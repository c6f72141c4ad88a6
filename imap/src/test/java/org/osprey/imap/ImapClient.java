package org.osprey.imap;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A minimal IMAP client for tests: sends tagged commands, reads responses up to the tagged completion, and keeps
 * literals inside the line they belong to (as ISO-8859-1 text, so bytes survive). Trusts any certificate: the
 * tests check the server's IMAP, not its certificate.
 */
final class ImapClient implements Closeable {
    private static final Pattern LITERAL_AT_END = Pattern.compile("~?\\{(\\d+)\\+?}$");

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int nextTag = 1;
    final String greeting;

    /** One command's answer: its untagged lines and its completion (after the tag). */
    record Response(List<String> untagged, String completion) {
        boolean ok() {
            return completion.startsWith("OK");
        }

        String status() {
            return completion.split(" ", 2)[0];
        }

        /** All untagged lines starting with the given prefix (after "* "). */
        List<String> lines(String prefix) {
            return untagged.stream().filter(l -> l.startsWith("* " + prefix)).toList();
        }

        String line(String prefix) {
            List<String> found = lines(prefix);
            if (found.isEmpty()) {
                throw new AssertionError("no '* " + prefix + "' in " + untagged + " / " + completion);
            }
            return found.getFirst();
        }

        @Override
        public String toString() {
            return String.join("\n", untagged) + "\n" + completion;
        }
    }

    private ImapClient(Socket socket) throws IOException {
        attach(socket);
        this.greeting = readLine();
    }

    static ImapClient plain(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(20_000);
        return new ImapClient(socket);
    }

    static ImapClient tls(int port) throws IOException {
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
        plain.setSoTimeout(20_000);
        SSLSocket ssl = (SSLSocket) trustAll().getSocketFactory().createSocket(plain, "localhost", port, true);
        ssl.startHandshake();
        return new ImapClient(ssl);
    }

    /** Logged in over implicit TLS. */
    static ImapClient login(int port, String user, String password) throws IOException {
        ImapClient client = tls(port);
        Response r = client.command("LOGIN " + user + " " + password);
        if (!r.ok()) {
            throw new AssertionError("login failed: " + r);
        }
        return client;
    }

    /** After "a OK Begin TLS": wraps the socket. */
    void startTls() throws IOException {
        SSLSocket ssl = (SSLSocket) trustAll().getSocketFactory().createSocket(socket, "localhost",
                socket.getPort(), true);
        ssl.startHandshake();
        attach(ssl);
    }

    private void attach(Socket s) throws IOException {
        this.socket = s;
        this.in = new java.io.BufferedInputStream(s.getInputStream());
        this.out = s.getOutputStream();
    }

    String nextTag() {
        return "a" + nextTag++;
    }

    Response command(String text) throws IOException {
        String tag = nextTag();
        send(tag + " " + text + "\r\n");
        return readResponse(tag);
    }

    /** Sends a command with one synchronizing literal as its last argument (APPEND). */
    Response commandWithLiteral(String beforeLiteral, byte[] literal, String afterLiteral) throws IOException {
        String tag = nextTag();
        send(tag + " " + beforeLiteral + "{" + literal.length + "}\r\n");
        String cont = readLine();
        if (!cont.startsWith("+")) {
            List<String> lines = new ArrayList<>();
            lines.add(cont);
            if (cont.startsWith(tag + " ")) {
                return new Response(List.of(), cont.substring(tag.length() + 1));
            }
            throw new AssertionError("expected continuation, got " + cont);
        }
        out.write(literal);
        send(afterLiteral + "\r\n");
        return readResponse(tag);
    }

    Response readResponse(String tag) throws IOException {
        List<String> untagged = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line.startsWith(tag + " ")) {
                return new Response(untagged, line.substring(tag.length() + 1));
            }
            untagged.add(line);
        }
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One response line, with any literals it announces read into it. */
    String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            String part = readRawLine();
            line.append(part);
            Matcher m = LITERAL_AT_END.matcher(part);
            if (!m.find()) {
                return line.toString();
            }
            int n = Integer.parseInt(m.group(1));
            byte[] bytes = in.readNBytes(n);
            if (bytes.length < n) {
                throw new IOException("connection closed inside a literal");
            }
            line.append("\r\n").append(new String(bytes, StandardCharsets.ISO_8859_1));
        }
    }

    private String readRawLine() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] bytes = buffer.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            buffer.write(c);
        }
        throw new java.io.EOFException("connection closed" + (buffer.size() > 0 ? " after " + buffer : ""));
    }

    /** True when the server has closed the connection (reads EOF within the socket timeout). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    void setTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
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

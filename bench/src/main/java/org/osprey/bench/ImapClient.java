package org.osprey.bench;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Just enough of an IMAP client for load: one connection, one command at a time, each answer read until its
 * tagged completion. Untagged responses are not kept, only counted; {@code * n EXISTS} and {@code * n EXPUNGE}
 * keep {@link #exists} current, and {@code CAPABILITY} (untagged or as a response code) refreshes
 * {@link #capabilities}. Literals in responses ({@code {n}} at the end of a line, RFC 9051 §4.3) are read past
 * without being turned into text, so a FETCH of bodies costs the client little.
 *
 * <p>The read buffer is small and fixed ({@code bufferSize}), so thousands of idle connections cost the load
 * tool little memory. Not thread-safe: one client per thread.
 */
final class ImapClient implements Closeable {
    /** How the connection is protected: none, STARTTLS after the greeting, or TLS from the first byte. */
    enum Tls { NONE, STARTTLS, IMAPS }

    /** Where to connect. */
    record Target(String host, int port, Tls tls) {
    }

    /** A tagged completion: OK, NO or BAD, and the whole line. */
    record Reply(String status, String line) {
        boolean ok() {
            return status.equals("OK");
        }

        @Override
        public String toString() {
            return line;
        }
    }

    private static final SSLSocketFactory TRUST_ALL = trustAll();

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] buf;
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private int lineLength;
    private int tagCounter;
    /** Messages in the selected mailbox as the server last said. */
    int exists;
    /** Untagged responses seen during the last command. */
    int untagged;
    Set<String> capabilities = Set.of();

    private ImapClient(Socket socket, int bufferSize) throws IOException {
        this.buf = new byte[bufferSize];
        attach(socket);
    }

    /**
     * Connects (from {@code bind} when not null), reads the greeting and, for STARTTLS, upgrades the connection.
     * Throws when the greeting is not {@code * OK}.
     */
    static ImapClient connect(Target target, InetAddress bind, int bufferSize, int timeoutMillis) throws IOException {
        var socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            if (bind != null) {
                socket.bind(new InetSocketAddress(bind, 0));
            }
            socket.connect(new InetSocketAddress(target.host(), target.port()), 30_000);
            Socket s = socket;
            if (target.tls() == Tls.IMAPS) {
                s = handshake(socket, target);
            }
            var client = new ImapClient(s, bufferSize);
            String greeting = client.readGreeting();
            if (target.tls() == Tls.STARTTLS) {
                Reply r = client.command("STARTTLS");
                if (!r.ok()) {
                    throw new IOException("STARTTLS refused: " + r);
                }
                // RFC 9051 §6.2.1: capabilities from before TLS no longer count; nothing was pipelined.
                client.attach(handshake(socket, target));
                client.capabilities = Set.of();
                client.command("CAPABILITY");
            }
            if (client.capabilities.isEmpty()) {
                client.command("CAPABILITY");
            }
            if (greeting == null) {
                throw new IOException("no greeting");
            }
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static Socket handshake(Socket plain, Target target) throws IOException {
        var ssl = (SSLSocket) TRUST_ALL.createSocket(plain, target.host(), target.port(), true);
        ssl.startHandshake();
        return ssl;
    }

    private void attach(Socket s) throws IOException {
        this.socket = s;
        this.in = s.getInputStream();
        this.out = s.getOutputStream();
        pos = 0;
        limit = 0;
    }

    private String readGreeting() throws IOException {
        readResponse();
        String text = lineText();
        if (!text.startsWith("* OK")) {
            throw new IOException("greeting: " + text);
        }
        capabilitiesFrom(text);
        return text;
    }

    boolean hasCapability(String name) {
        return capabilities.contains(name.toUpperCase(Locale.ROOT));
    }

    /** LOGIN with both arguments as quoted strings. */
    Reply login(String user, String password) throws IOException {
        return command("LOGIN " + quote(user) + " " + quote(password));
    }

    /** Sends {@code tag command} and reads until the tagged completion. */
    Reply command(String command) throws IOException {
        String tag = nextTag();
        out.write((tag + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return await(tag);
    }

    /**
     * APPEND with the message as a literal: non-synchronizing ({@code {n+}}, RFC 7888) when the server offers
     * LITERAL+ or (for messages up to 4096 bytes) LITERAL-, otherwise waiting for the continuation request.
     */
    Reply append(String mailbox, String flags, byte[] message) throws IOException {
        String tag = nextTag();
        boolean plus = hasCapability("LITERAL+") || (hasCapability("LITERAL-") && message.length <= 4096);
        String head = tag + " APPEND " + quote(mailbox) + (flags.isEmpty() ? "" : " (" + flags + ")")
                + " {" + message.length + (plus ? "+" : "") + "}\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        if (!plus) {
            out.flush();
            Reply early = awaitContinuation(tag);
            if (early != null) {
                return early;
            }
        }
        out.write(message);
        out.write('\r');
        out.write('\n');
        out.flush();
        return await(tag);
    }

    /** Sends IDLE and returns once the server answered with its continuation request (RFC 2177). */
    void idle() throws IOException {
        String tag = nextTag();
        out.write((tag + " IDLE\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Reply early = awaitContinuation(tag);
        if (early != null) {
            throw new IOException("IDLE refused: " + early);
        }
        idleTag = tag;
    }

    private String idleTag;

    /** Ends IDLE with DONE and reads until its completion. */
    Reply done() throws IOException {
        out.write("DONE\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String tag = idleTag;
        idleTag = null;
        return await(tag);
    }

    /** Sends LOGOUT, reads its completion if it comes, and closes. */
    void logout() {
        try {
            command("LOGOUT");
        } catch (IOException e) {
            // closing anyway
        }
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    private String nextTag() {
        return "a" + (++tagCounter);
    }

    /** Reads until {@code +} (returns null) or the tagged completion of {@code tag} (returns it). */
    private Reply awaitContinuation(String tag) throws IOException {
        untagged = 0;
        while (true) {
            readResponse();
            if (lineLength > 0 && line[0] == '+') {
                return null;
            }
            Reply r = untaggedOrTagged(tag);
            if (r != null) {
                return r;
            }
        }
    }

    private Reply await(String tag) throws IOException {
        untagged = 0;
        while (true) {
            readResponse();
            if (lineLength > 0 && line[0] == '+') {
                continue; // a continuation we did not ask for (e.g. an unexpected literal request); ignore
            }
            Reply r = untaggedOrTagged(tag);
            if (r != null) {
                return r;
            }
        }
    }

    /** Handles the response in {@link #line}; returns the reply when it is the tagged completion of tag. */
    private Reply untaggedOrTagged(String tag) throws IOException {
        if (lineLength >= 2 && line[0] == '*' && line[1] == ' ') {
            untagged++;
            untaggedResponse();
            return null;
        }
        String text = lineText();
        if (!text.startsWith(tag + " ")) {
            throw new IOException("unexpected response to " + tag + ": " + abbreviate(text));
        }
        int start = tag.length() + 1;
        int end = text.indexOf(' ', start);
        String status = (end < 0 ? text.substring(start) : text.substring(start, end)).toUpperCase(Locale.ROOT);
        if (!status.equals("OK") && !status.equals("NO") && !status.equals("BAD")) {
            throw new IOException("bad completion: " + abbreviate(text));
        }
        if (text.regionMatches(true, end + 1, "[CAPABILITY ", 0, 12)) {
            capabilitiesFrom(text);
        }
        return new Reply(status, abbreviate(text));
    }

    /** "* 12 EXISTS", "* 3 EXPUNGE", "* CAPABILITY ..."; everything else is only counted. */
    private void untaggedResponse() {
        int i = 2;
        if (i < lineLength && line[i] >= '0' && line[i] <= '9') {
            long n = 0;
            while (i < lineLength && line[i] >= '0' && line[i] <= '9') {
                n = n * 10 + (line[i++] - '0');
            }
            if (isWord(i + 1, "EXISTS")) {
                exists = (int) n;
            } else if (isWord(i + 1, "EXPUNGE")) {
                exists--;
            }
        } else if (isWord(i, "CAPABILITY") || isWord(i, "OK [CAPABILITY")) {
            capabilitiesFrom(lineText());
        }
    }

    private boolean isWord(int at, String word) {
        if (at + word.length() > lineLength) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if ((line[at + k] & 0xdf) != (word.charAt(k) & 0xdf) && line[at + k] != word.charAt(k)) {
                return false;
            }
        }
        return at + word.length() == lineLength || line[at + word.length()] == ' '
                || line[at + word.length()] == ']';
    }

    private void capabilitiesFrom(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        int at = upper.indexOf("CAPABILITY ");
        if (at < 0) {
            return;
        }
        int end = upper.indexOf(']', at);
        String list = upper.substring(at + 11, end < 0 ? upper.length() : end);
        capabilities = new HashSet<>(Arrays.asList(list.trim().split(" +")));
    }

    /**
     * Reads one response into {@link #line}: a line, and when it ends in a literal announcement {@code {n}},
     * the literal (skipped) and the rest of the response after it, as many times as it takes.
     */
    private void readResponse() throws IOException {
        lineLength = 0;
        while (true) {
            readLineInto();
            long literal = literalAtEnd();
            if (literal < 0) {
                return;
            }
            skip(literal);
        }
    }

    /** The size announced by {@code {n}} at the end of the current line, or -1. */
    private long literalAtEnd() {
        if (lineLength < 3 || line[lineLength - 1] != '}') {
            return -1;
        }
        int i = lineLength - 2;
        long n = 0;
        long scale = 1;
        while (i >= 0 && line[i] >= '0' && line[i] <= '9') {
            n += (line[i] - '0') * scale;
            scale *= 10;
            i--;
        }
        if (i < 0 || i == lineLength - 2 || line[i] != '{') {
            return -1;
        }
        return n;
    }

    /** Appends the next line (without CRLF) to {@link #line}. */
    private void readLineInto() throws IOException {
        while (true) {
            if (pos == limit) {
                fill();
            }
            int start = pos;
            while (pos < limit && buf[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            if (lineLength + n > line.length) {
                if (lineLength + n > 64 * 1024 * 1024) {
                    throw new IOException("response line too long");
                }
                line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
            }
            System.arraycopy(buf, start, line, lineLength, n);
            lineLength += n;
            if (pos < limit) {
                pos++; // the LF
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                return;
            }
        }
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == limit) {
                fill();
            }
            int k = (int) Math.min(n, limit - pos);
            pos += k;
            n -= k;
        }
    }

    private void fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            throw new EOFException("connection closed by the server");
        }
        pos = 0;
        limit = n;
    }

    private String lineText() {
        return new String(line, 0, lineLength, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** An IMAP quoted string (RFC 9051 §4.3): backslash and double quote escaped. */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The load tool talks to test servers with self-signed certificates: every certificate is accepted. */
    private static SSLSocketFactory trustAll() {
        try {
            TrustManager trustAll = new X509TrustManager() {
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
            };
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
            return context.getSocketFactory();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

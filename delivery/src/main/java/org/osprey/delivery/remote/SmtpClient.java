package org.osprey.delivery.remote;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One SMTP connection to one peer: sends command lines, reads replies, upgrades to TLS. It knows nothing of
 * policies or messages ({@link SessionSetup} and {@link Transaction} drive it). Every read has a timeout and every
 * write a deadline. Used by one thread at a time (the connection cache hands it from one delivery to the next);
 * {@link #close()} may be called from any thread.
 */
final class SmtpClient implements Closeable {
    private static final int OUTPUT_BUFFER = 32 * 1024;

    private final Peer peer;
    private final Socket plain;
    private final long openedNanos = System.nanoTime();
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private DeadlineOutputStream deadline;
    private Extensions extensions = Extensions.NONE;
    private String tlsProtocol; // null until TLS is up
    private String tlsCipher;
    private boolean tlsVerified;
    private int transactions;

    private SmtpClient(Peer peer, Socket plain, int timeoutMillis) throws IOException {
        this.peer = peer;
        this.plain = plain;
        streams(plain, timeoutMillis);
    }

    /** Opens the TCP connection; nothing is read yet. */
    static SmtpClient connect(Peer peer, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(peer.address(), peer.port()), millis(timeout));
            socket.setTcpNoDelay(true);
            return new SmtpClient(peer, socket, millis(timeout));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    Peer peer() {
        return peer;
    }

    Extensions extensions() {
        return extensions;
    }

    void extensions(Extensions offered) {
        this.extensions = offered;
    }

    boolean isTls() {
        return tlsProtocol != null;
    }

    String tlsProtocol() {
        return tlsProtocol;
    }

    String tlsCipher() {
        return tlsCipher;
    }

    boolean tlsVerified() {
        return tlsVerified;
    }

    /** "TLSv1.3/TLS_AES_256_GCM_SHA384", or "none". */
    String tlsDescription() {
        return tlsProtocol == null ? "none" : tlsProtocol + "/" + tlsCipher;
    }

    long ageNanos() {
        return System.nanoTime() - openedNanos;
    }

    int transactions() {
        return transactions;
    }

    void countTransaction() {
        transactions++;
    }

    Reply read(Duration timeout) throws IOException {
        socket.setSoTimeout(millis(timeout));
        return ReplyReader.read(in);
    }

    /** Queues one command line (CRLF added) without sending it: for pipelining, and before {@link #flush}. */
    void write(String line, Duration timeout) throws IOException {
        deadline.timeout(millis(timeout));
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    void flush(Duration timeout) throws IOException {
        deadline.timeout(millis(timeout));
        out.flush();
    }

    /** Sends one command and reads its reply. */
    Reply command(String line, Duration timeout) throws IOException {
        write(line, timeout);
        flush(timeout);
        return read(timeout);
    }

    /** The buffered stream for message data; each block written to the peer must go within {@code timeout}. */
    OutputStream data(Duration timeout) {
        deadline.timeout(millis(timeout));
        return out;
    }

    /**
     * Starts TLS on this connection, right after connect (implicit TLS) or after the 220 to STARTTLS. A server
     * that sent anything after that 220 is refused: those bytes came in clear text and would be read as if they
     * had come over TLS (the STARTTLS response injection of CVE-2011-0411, client side).
     */
    void startTls(ClientTls tlsContext, boolean verify, Duration timeout) throws IOException {
        if (in.available() > 0) {
            throw new SmtpProtocolException("the server sent data in clear text after its STARTTLS reply");
        }
        SSLSocket tlsSocket = tlsContext.wrap(plain, peer, verify);
        // the read timeout bounds each wait for the server; the handshake's own writes are a few KB and never
        // fill a socket buffer
        tlsSocket.setSoTimeout(millis(timeout));
        tlsSocket.startHandshake();
        SSLSession session = tlsSocket.getSession();
        tlsProtocol = session.getProtocol();
        tlsCipher = session.getCipherSuite();
        tlsVerified = verify;
        extensions = Extensions.NONE; // RFC 3207 §4.2: forget all that was learnt before TLS
        streams(tlsSocket, millis(timeout));
    }

    /** QUIT, waiting a little for the reply, then close. Never throws. */
    void quit(Duration timeout) {
        try {
            command("QUIT", timeout);
        } catch (IOException | RuntimeException e) {
            // the peer may already be gone; we are leaving anyway
        }
        close();
    }

    @Override
    public void close() {
        try {
            // the plain socket: closing the TLS one could block on a write lock (see DeadlineOutputStream)
            plain.close();
        } catch (IOException ignored) {
            // nothing more to do with a connection we are dropping
        }
    }

    boolean isClosed() {
        return plain.isClosed();
    }

    private void streams(Socket s, long timeoutMillis) throws IOException {
        this.socket = s;
        this.in = new BufferedInputStream(s.getInputStream(), 8192);
        this.deadline = new DeadlineOutputStream(s.getOutputStream(), plain, timeoutMillis);
        this.out = new BufferedOutputStream(deadline, OUTPUT_BUFFER);
    }

    static int millis(Duration timeout) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }
}

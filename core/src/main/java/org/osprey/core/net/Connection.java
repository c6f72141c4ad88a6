package org.osprey.core.net;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.osprey.core.tls.TlsContext;

/**
 * One client connection as a protocol session sees it: bounded line reads, raw reads for bodies, buffered writes,
 * and the STARTTLS upgrade. Owned by the single virtual thread that serves it; only {@link #close()} and
 * {@link #requestShutdown()} may be called from elsewhere.
 */
public final class Connection implements Closeable {
    private final String id;
    private final Protocol protocol;
    private final TlsContext tlsContext;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private volatile Socket socket;
    private volatile boolean shutdownRequested;
    private LineInput input;
    private OutputStream output;
    private TlsInfo tls;
    private int framingErrors;

    Connection(String id, Socket socket, Protocol protocol, TlsContext tlsContext) throws IOException {
        this.id = id;
        this.socket = socket;
        this.protocol = protocol;
        this.tlsContext = tlsContext;
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.local = (InetSocketAddress) socket.getLocalSocketAddress();
        socket.setSoTimeout((int) protocol.idleTimeout().toMillis());
        bindStreams();
    }

    /** The id that prefixes every log line of this connection. */
    public String id() {
        return id;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    public InetSocketAddress local() {
        return local;
    }

    public Optional<TlsInfo> tls() {
        return Optional.ofNullable(tls);
    }

    public boolean isTls() {
        return tls != null;
    }

    /** True when TLS can be started on this connection (a certificate is configured and TLS is not on yet). */
    public boolean canStartTls() {
        return tlsContext != null && tls == null;
    }

    /**
     * Reads one command line of at most the protocol's maximum length. A longer line is answered here with the
     * protocol's reply and skipped; the next line is returned instead.
     */
    public Line readLine() throws IOException {
        return readLine(protocol.maxLineLength());
    }

    public Line readLine(int maxLength) throws IOException {
        while (true) {
            try {
                return input.readLine(maxLength);
            } catch (LineTooLongException e) {
                framingErrors++;
                write(protocol.lineTooLongReply());
                flush();
                if (framingErrors >= protocol.maxFramingErrors()) {
                    throw new TooManyErrorsException();
                }
            }
        }
    }

    /** Lines refused by the base for being too long; protocols add them to their error count. */
    public int framingErrors() {
        return framingErrors;
    }

    /** The raw input, sharing the buffer with {@link #readLine()}, for message bodies and literals. */
    public LineInput input() {
        return input;
    }

    /** True when the client has sent more that is not read yet (pipelining): replies may wait in the buffer. */
    public boolean hasBufferedInput() {
        return input.available() > 0;
    }

    public void write(String text) throws IOException {
        output.write(text.getBytes(StandardCharsets.UTF_8));
    }

    public void write(byte[] bytes, int offset, int length) throws IOException {
        output.write(bytes, offset, length);
    }

    public OutputStream output() {
        return output;
    }

    public void flush() throws IOException {
        output.flush();
    }

    /** Changes the idle timeout, e.g. a longer one while IMAP IDLE waits. */
    public void setIdleTimeout(Duration timeout) throws SocketException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    /**
     * Upgrades to TLS after the protocol has said "go ahead" (and flushed it). Anything the client sent after the
     * STARTTLS command in clear text is thrown away (the CVE-2011-0411 injection class), and the caller must forget
     * all session state learned before, as RFC 3207 §4.2 requires.
     */
    public TlsInfo startTls() throws IOException {
        if (!canStartTls()) {
            throw new IllegalStateException("TLS is not available on this connection");
        }
        input.discardBuffered();
        SSLSocket ssl = tlsContext.wrapServer(socket);
        socket = ssl;
        handshake(ssl);
        bindStreams();
        return tls;
    }

    /** For implicit TLS ports: the handshake before the first byte of the protocol. */
    void startImplicitTls() throws IOException {
        SSLSocket ssl = tlsContext.wrapServer(socket);
        socket = ssl;
        handshake(ssl);
        bindStreams();
    }

    /** True once the server is stopping; sessions may say goodbye at their next chance. */
    public boolean shutdownRequested() {
        return shutdownRequested;
    }

    void requestShutdown() {
        shutdownRequested = true;
    }

    Protocol protocol() {
        return protocol;
    }

    /** Makes the session's next read see end-of-input (plain sockets) or fail (TLS sockets cannot half-close). */
    void endInput() {
        try {
            if (socket instanceof SSLSocket) {
                socket.close();
            } else {
                socket.shutdownInput();
            }
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to tell the client
        }
    }

    private void handshake(SSLSocket ssl) throws IOException {
        ssl.startHandshake();
        SSLSession session = ssl.getSession();
        tls = new TlsInfo(session.getProtocol(), session.getCipherSuite());
    }

    private void bindStreams() throws IOException {
        input = new LineInput(socket.getInputStream());
        // the default constructor's buffer starts at 512 bytes and grows to 8 KiB only when a session writes a lot,
        // so an idle connection costs little (10,000 IDLE clients are the target)
        output = new BufferedOutputStream(socket.getOutputStream());
    }
}

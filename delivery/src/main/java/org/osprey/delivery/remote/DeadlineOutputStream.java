package org.osprey.delivery.remote;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A write timeout, which Java sockets lack: a peer that stops reading would otherwise block the sender for ever
 * once the socket buffers are full (RFC 5321 §4.5.3.2.5 wants a timeout on each data block). Each write and flush
 * arms a timer that closes the TCP socket under it; the blocked write then fails and is reported as a timeout.
 * The plain socket is closed, not the TLS one, because closing an SSLSocket waits for the write lock the stuck
 * write holds.
 */
final class DeadlineOutputStream extends FilterOutputStream {
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "smtp-client-write-deadline");
        t.setDaemon(true);
        return t;
    });

    static {
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private final Socket socket;
    private volatile long timeoutMillis;
    private volatile boolean expired;

    DeadlineOutputStream(OutputStream out, Socket socket, long timeoutMillis) {
        super(out);
        this.socket = socket;
        this.timeoutMillis = timeoutMillis;
    }

    void timeout(long millis) {
        this.timeoutMillis = millis;
    }

    @Override
    public void write(int b) throws IOException {
        guarded(() -> out.write(b));
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        guarded(() -> out.write(b, off, len));
    }

    @Override
    public void flush() throws IOException {
        guarded(out::flush);
    }

    private interface Write {
        void run() throws IOException;
    }

    private void guarded(Write write) throws IOException {
        ScheduledFuture<?> timer = TIMER.schedule(this::expire, timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            write.run();
        } catch (IOException e) {
            if (expired) {
                var timeout = new SocketTimeoutException("write timed out after " + timeoutMillis + " ms");
                timeout.initCause(e);
                throw timeout;
            }
            throw e;
        } finally {
            timer.cancel(false);
        }
    }

    private void expire() {
        expired = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we wanted; the writer sees the failure
        }
    }
}

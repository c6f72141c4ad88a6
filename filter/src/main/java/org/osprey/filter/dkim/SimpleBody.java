package org.osprey.filter.dkim;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The "simple" body canonicalization of RFC 6376 §3.4.3 as a stream: the body passes unchanged except that the
 * empty lines at its end go, and it ends with exactly one CRLF; an empty body becomes a single CRLF. Only CRLF ends
 * a line here (a bare CR or LF is content, as simple changes nothing), and the trailing line ends are held back
 * until content follows, so any body is hashed in one pass with constant memory. {@link #close()} finishes the body
 * and closes the sink.
 */
public final class SimpleBody extends OutputStream {
    private final OutputStream sink;
    private final byte[] buffer = new byte[8192];
    private int used;
    /** A CR was the last byte: a line end if LF follows, content otherwise. */
    private boolean cr;
    /** CRLFs read but not yet written, since only content after them proves they are not trailing. */
    private long lineEnds;
    private boolean closed;

    public SimpleBody(OutputStream sink) {
        this.sink = sink;
    }

    @Override
    public void write(int b) throws IOException {
        step((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        for (int i = offset, end = offset + length; i < end; i++) {
            step(bytes[i]);
        }
    }

    private void step(byte b) throws IOException {
        if (closed) {
            throw new IOException("body already finished");
        }
        if (cr) {
            cr = false;
            if (b == '\n') {
                lineEnds++;
                return;
            }
            content((byte) '\r');
        }
        if (b == '\r') {
            cr = true;
        } else {
            content(b);
        }
    }

    private void content(byte b) throws IOException {
        for (; lineEnds > 0; lineEnds--) {
            emit((byte) '\r');
            emit((byte) '\n');
        }
        emit(b);
    }

    private void emit(byte b) throws IOException {
        if (used == buffer.length) {
            sink.write(buffer, 0, used);
            used = 0;
        }
        buffer[used++] = b;
    }

    /** Ends the body with one CRLF, whatever number of line ends it had at its end (none included). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (cr) {
            cr = false;
            content((byte) '\r');
        }
        emit((byte) '\r');
        emit((byte) '\n');
        closed = true;
        sink.write(buffer, 0, used);
        used = 0;
        sink.close();
    }
}

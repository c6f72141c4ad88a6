package org.osprey.core.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A buffered reader of client bytes that can hand out lines (bounded in length) and raw bytes (for message
 * bodies and literals) from the same buffer. Not thread-safe: one session reads it.
 */
public final class LineInput extends InputStream {
    private final InputStream in;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;

    public LineInput(InputStream in) {
        this.in = in;
    }

    /**
     * Reads up to and including the next LF. Throws {@link EOFException} when the client closed before a full line,
     * and {@link LineTooLongException} (after skipping to the end of that line) when it exceeds {@code maxLength}.
     */
    public Line readLine(int maxLength) throws IOException {
        byte[] line = new byte[Math.min(maxLength + 1, 256)];
        int length = 0;
        boolean tooLong = false;
        while (true) {
            if (position == limit && !fill()) {
                throw new EOFException(length == 0 ? "connection closed" : "connection closed inside a line");
            }
            int start = position;
            int newline = -1;
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int end = newline < 0 ? limit : newline;
            position = newline < 0 ? limit : newline + 1;
            if (!tooLong) {
                int chunk = end - start;
                if (length + chunk > maxLength + 1) {
                    tooLong = true;
                } else {
                    if (length + chunk > line.length) {
                        line = Arrays.copyOf(line, Math.min(maxLength + 1, Math.max(line.length * 2, length + chunk)));
                    }
                    System.arraycopy(buffer, start, line, length, chunk);
                    length += chunk;
                }
            }
            if (newline >= 0) {
                if (tooLong) {
                    throw new LineTooLongException(maxLength);
                }
                boolean crlf = length > 0 && line[length - 1] == '\r';
                int contentLength = crlf ? length - 1 : length;
                if (contentLength > maxLength) {
                    throw new LineTooLongException(maxLength);
                }
                return new Line(Arrays.copyOf(line, contentLength), crlf);
            }
        }
    }

    @Override
    public int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position == limit) {
            if (length >= buffer.length) {
                return in.read(target, offset, length);
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(buffer, position, target, offset, n);
        position += n;
        return n;
    }

    /** Bytes already received and not yet consumed; a session flushes its replies when this is zero. */
    @Override
    public int available() {
        return limit - position;
    }

    /**
     * Gives back the last {@code count} bytes returned by a {@link #read(byte[], int, int)} of less than the buffer
     * size (such reads are always served from the buffer), e.g. pipelined commands read past the end of a body.
     */
    public void unread(int count) {
        if (count < 0 || count > position) {
            throw new IllegalStateException("cannot unread " + count + " bytes");
        }
        position -= count;
    }

    /** Throws away what the client sent ahead; used at STARTTLS so nothing sent in clear is read after it. */
    public int discardBuffered() {
        int discarded = limit - position;
        position = limit;
        return discarded;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }
}

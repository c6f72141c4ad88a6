package org.osprey.filter.dkim;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The "relaxed" body canonicalization of RFC 6376 §3.4.4 as a stream, so a body of any size is hashed in one pass
 * with constant memory: bytes written in come out canonical at {@code sink}. Within a line every run of spaces
 * and tabs becomes one space and those at the line's end go; empty lines at the end of the body go (they are
 * counted and written only once more content follows); a body that does not end in CRLF gets one; an empty body
 * (or one of only empty lines) stays empty, which is where relaxed differs from simple (§3.4.3).
 *
 * <p>Lines end at CRLF; a bare LF also ends a line, as the message will be sent with CRLF line ends. A bare CR is
 * content. {@link #close()} finishes the body and closes the sink; nothing may be written after it.
 */
public final class RelaxedBody extends OutputStream {
    private final OutputStream sink;
    private final byte[] buffer = new byte[8192];
    private int used;
    /** Spaces or tabs were seen since the last content byte of this line. */
    private boolean space;
    /** A CR was the last byte: it is a line end if LF follows, content otherwise. */
    private boolean cr;
    /** Line ends not yet written: the one ending the last content line and any empty lines after it. */
    private long lineEnds;
    /** The current line has content (anything but WSP). */
    private boolean lineHasContent;
    private boolean bodyHasContent;
    private boolean closed;

    public RelaxedBody(OutputStream sink) {
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
                endLine();
                return;
            }
            content((byte) '\r');
        }
        switch (b) {
            case '\r' -> cr = true;
            case '\n' -> endLine();
            case ' ', '\t' -> space = true;
            default -> content(b);
        }
    }

    private void content(byte b) throws IOException {
        if (!lineHasContent) {
            // Empty lines followed by content are part of the body, not trailing: write them now.
            for (; lineEnds > 0; lineEnds--) {
                emit((byte) '\r');
                emit((byte) '\n');
            }
            lineHasContent = true;
            bodyHasContent = true;
        }
        if (space) {
            // Also at the start of a line: leading WSP is reduced to one space, not removed.
            emit((byte) ' ');
            space = false;
        }
        emit(b);
    }

    private void endLine() {
        space = false; // WSP at the end of a line is ignored
        lineEnds++;
        lineHasContent = false;
    }

    private void emit(byte b) throws IOException {
        if (used == buffer.length) {
            sink.write(buffer, 0, used);
            used = 0;
        }
        buffer[used++] = b;
    }

    /** Ends the body: the last content line gets its CRLF, the trailing empty lines are dropped. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (cr) {
            cr = false;
            content((byte) '\r');
        }
        if (lineHasContent || bodyHasContent) {
            // Either the last line has no CRLF yet (one is added), or lineEnds holds the one that ended it.
            emit((byte) '\r');
            emit((byte) '\n');
        }
        closed = true;
        sink.write(buffer, 0, used);
        used = 0;
        sink.close();
    }
}

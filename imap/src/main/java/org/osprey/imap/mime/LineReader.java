package org.osprey.imap.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a message line by line for {@link MimeParser}, keeping of each line only as many leading bytes as the
 * caller asks for (a 100 MB base64 line costs nothing), and counting what the parser needs for sizes: the offset
 * of each line, its length with its terminator, and how many LFs came before it. A line ends after LF or at the
 * end of the input. One line can be pushed back and read again. Not thread-safe.
 */
final class LineReader {
    private final InputStream in;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private boolean eof;

    /** The kept bytes of the current line (at most what {@link #next} was asked for), terminator included if kept. */
    byte[] line = new byte[256];
    /** How many bytes of {@link #line} are valid. */
    int kept;
    /** Offset of the current line's first byte. */
    long start;
    /** Full length of the current line, terminator included. */
    long length;
    /** Length of the current line's terminator: 2 for CRLF, 1 for a bare LF, 0 at the end of input. */
    int terminator;
    /** LFs before the current line. */
    long linesBefore;
    /** Terminator length of the line before the current one (0 for the first line). */
    int previousTerminator;
    /** Whether the line before the current one was marked by {@link #markClose()}. */
    boolean previousClose;
    private boolean close;

    private long nextStart;
    private long nextLinesBefore;
    private int lastTerminator;
    private boolean replay;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** Offset where the next line starts (after a push-back: where the pushed-back line starts). */
    long position() {
        return replay ? start : nextStart;
    }

    /** LFs before {@link #position()}. */
    long linesBeforePosition() {
        return replay ? linesBefore : nextLinesBefore;
    }

    /** Marks the current line as a multipart's close delimiter: the line break after it stays with it. */
    void markClose() {
        close = true;
    }

    /** Whether the current line was pushed back and is read again next. */
    boolean pushedBack() {
        return replay;
    }

    /** Makes the next {@link #next} return the current line again. */
    void pushBack() {
        replay = true;
    }

    /**
     * Reads the next line, keeping up to {@code keep} of its bytes. Returns false at the end of input. A pushed-back
     * line comes back with the bytes it kept when first read.
     */
    boolean next(int keep) throws IOException {
        if (replay) {
            replay = false;
            return true;
        }
        int room = Math.min(keep, 1 << 20);
        kept = 0;
        length = 0;
        terminator = 0;
        start = nextStart;
        linesBefore = nextLinesBefore;
        previousTerminator = lastTerminator;
        previousClose = close;
        close = false;
        boolean lastWasCr = false;
        while (true) {
            if (position == limit && !fill()) {
                break;
            }
            int from = position;
            int lf = -1;
            for (int i = from; i < limit; i++) {
                if (buffer[i] == '\n') {
                    lf = i;
                    break;
                }
            }
            int end = lf < 0 ? limit : lf + 1;
            int copy = Math.min(end - from, room - kept);
            if (kept + copy > line.length) {
                line = Arrays.copyOf(line, Math.min(room, Math.max(kept + copy, line.length * 2)));
            }
            if (copy > 0) {
                System.arraycopy(buffer, from, line, kept, copy);
                kept += copy;
            }
            if (lf >= 0) {
                boolean cr = lf > from ? buffer[lf - 1] == '\r' : lastWasCr;
                terminator = cr ? 2 : 1;
            } else if (end > from) {
                lastWasCr = buffer[end - 1] == '\r';
            }
            length += end - from;
            position = end;
            if (lf >= 0) {
                break;
            }
        }
        if (length == 0) {
            return false;
        }
        nextStart = start + length;
        nextLinesBefore = linesBefore + (terminator > 0 ? 1 : 0);
        lastTerminator = terminator;
        return true;
    }

    /** True when the current line is empty: nothing but its terminator. */
    boolean isBlank() {
        return terminator > 0 && length == terminator;
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            eof = n < 0;
            if (n == 0) {
                int b = in.read(); // a stream that returns 0 is not at its end: read one byte the slow way
                if (b < 0) {
                    eof = true;
                    return false;
                }
                buffer[0] = (byte) b;
                n = 1;
            } else {
                return false;
            }
        }
        position = 0;
        limit = n;
        return true;
    }
}

package org.osprey.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams a stored message (LF line endings, or CRLF) as a POP3 multi-line response body (RFC 1939 §3): CRLF line
 * endings, a '.' doubled at the start of a line, ended by ".CRLF". Works a buffer at a time and never holds more.
 */
final class DotStuffedWriter {
    private static final int BUFFER = 32 * 1024;

    private final OutputStream out;
    private final long bodyLines;
    private final byte[] buffer;
    private final byte[] pending;
    private int length;
    private boolean lineStart = true;
    private boolean emptyLine = true;
    private boolean inHeader = true;
    private boolean lastCr;
    private long linesLeft;

    private DotStuffedWriter(OutputStream out, long bodyLines, long sizeHint) {
        this.out = out;
        // sized to the message: a 5 KB message should not cost 96 KB of garbage per RETR
        this.buffer = new byte[(int) Math.max(512, Math.min(BUFFER, sizeHint + 1))];
        this.pending = new byte[buffer.length * 2 + 8];
        this.bodyLines = bodyLines;
        this.linesLeft = bodyLines;
    }

    /**
     * Writes the header and, when {@code bodyLines} is not negative, only that many lines of the body (TOP);
     * otherwise the whole message (RETR). Then the terminating line.
     */
    static void write(InputStream message, OutputStream out, long bodyLines, long sizeHint) throws IOException {
        new DotStuffedWriter(out, bodyLines, sizeHint).copy(message);
    }

    private void copy(InputStream message) throws IOException {
        int n;
        outer:
        while ((n = message.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
                if (!inHeader && bodyLines >= 0 && linesLeft <= 0 && lineStart) {
                    break outer; // TOP: enough body lines
                }
                byte b = buffer[i];
                if (b == '\r') {
                    if (lastCr) {
                        put((byte) '\r'); // the first of two CRs was a bare CR
                        lineStart = false;
                        emptyLine = false;
                    }
                    lastCr = true;
                    continue; // written with the LF that follows
                }
                if (lastCr && b != '\n') {
                    put((byte) '\r'); // a bare CR inside a line stays as it was
                    lineStart = false;
                    emptyLine = false;
                }
                lastCr = false;
                if (b == '\n') {
                    put((byte) '\r');
                    put((byte) '\n');
                    if (inHeader && emptyLine) {
                        inHeader = false; // the blank line ends the header
                    } else if (!inHeader) {
                        linesLeft--;
                    }
                    lineStart = true;
                    emptyLine = true;
                    continue;
                }
                if (lineStart && b == '.') {
                    put((byte) '.');
                }
                put(b);
                lineStart = false;
                emptyLine = false;
            }
        }
        if (lastCr) {
            put((byte) '\r');
            lineStart = false;
        }
        if (!lineStart) {
            put((byte) '\r');
            put((byte) '\n');
        }
        put((byte) '.');
        put((byte) '\r');
        put((byte) '\n');
        out.write(pending, 0, length);
    }

    private void put(byte b) throws IOException {
        if (length == pending.length) {
            out.write(pending, 0, length);
            length = 0;
        }
        pending[length++] = b;
    }
}

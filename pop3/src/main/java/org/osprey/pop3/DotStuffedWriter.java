package org.osprey.pop3;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams a stored message (LF line endings, or CRLF) as a POP3 multi-line response body (RFC 1939 §3): CRLF line
 * endings, a '.' doubled at the start of a line, ended by ".CRLF". Never holds more than a buffer of it.
 */
final class DotStuffedWriter {
    private DotStuffedWriter() {
    }

    /**
     * Writes the header and, when {@code bodyLines} is not negative, only that many lines of the body (TOP);
     * otherwise the whole message (RETR). Then the terminating line.
     */
    static void write(InputStream message, OutputStream out, long bodyLines) throws IOException {
        InputStream in = new BufferedInputStream(message, 16 * 1024);
        boolean lineStart = true;
        boolean inHeader = true;
        boolean emptyLine = true; // the current line has no characters yet
        long linesLeft = bodyLines;
        boolean lastCr = false;
        int b;
        while ((b = in.read()) != -1) {
            if (!inHeader && bodyLines >= 0 && linesLeft <= 0 && lineStart) {
                break;
            }
            if (b == '\r') {
                lastCr = true;
                continue; // written with the LF that follows
            }
            if (lastCr && b != '\n') {
                out.write('\r'); // a bare CR inside a line stays as it was
                lineStart = false;
                emptyLine = false;
            }
            lastCr = false;
            if (b == '\n') {
                out.write('\r');
                out.write('\n');
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
                out.write('.');
            }
            out.write(b);
            lineStart = false;
            emptyLine = false;
        }
        if (lastCr) {
            out.write('\r');
            lineStart = false;
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        out.write('.');
        out.write('\r');
        out.write('\n');
    }
}

package org.osprey.delivery.remote;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The message as it goes after DATA (RFC 5321 §4.5.2): a '.' is doubled at the start of every line, every line
 * ends in CRLF, and {@link #finish()} adds the final ".". A bare CR or LF is sent as CRLF (§4.1.1.4 forbids sending
 * them bare), which also keeps "LF.CRLF"-style end-of-data smuggling from ever leaving this server. Closing this
 * stream does not close the connection under it.
 */
final class DotStuffingOutputStream extends FilterOutputStream {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] END = {'.', '\r', '\n'};

    private boolean atLineStart = true;
    // a CR was just sent as CRLF: an LF that follows is part of the same line ending
    private boolean skipLf;

    DotStuffingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int run = off; // start of bytes that can go out unchanged
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (c == '\r' || c == '\n') {
                out.write(b, run, i - run);
                if (c == '\n' && skipLf) {
                    skipLf = false;
                } else {
                    out.write(CRLF);
                    atLineStart = true;
                    skipLf = c == '\r';
                }
                run = i + 1;
                continue;
            }
            skipLf = false;
            if (atLineStart && c == '.') {
                out.write(b, run, i - run);
                out.write('.');
                run = i;
            }
            atLineStart = false;
        }
        out.write(b, run, end - run);
    }

    /** Ends the last line if it was not ended, writes ".", CRLF and flushes. */
    void finish() throws IOException {
        if (!atLineStart) {
            out.write(CRLF);
        }
        out.write(END);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}

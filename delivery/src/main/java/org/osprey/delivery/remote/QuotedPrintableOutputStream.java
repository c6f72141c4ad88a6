package org.osprey.delivery.remote;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Quoted-printable encoding of text (RFC 2045 §6.7) as a stream: CRLF stays a hard line break, every other octet
 * outside printable ASCII (and '=') becomes =XX, white space before a line break is encoded (rule 3: trailing
 * white space may be stripped in transit), and lines are broken with a soft "=" so none is longer than 76
 * characters (rule 5). {@link #finish()} writes what is held back; closing does not close the stream under it.
 */
final class QuotedPrintableOutputStream extends FilterOutputStream {
    private static final int MAX_LINE = 76;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private int lineLength;
    // a space or tab not yet written: it must be encoded if a line break follows it
    private int pendingWhite = -1;
    private boolean pendingCr;

    QuotedPrintableOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public void write(int value) throws IOException {
        int b = value & 0xff;
        if (pendingCr) {
            pendingCr = false;
            if (b == '\n') {
                flushWhite(true);
                out.write('\r');
                out.write('\n');
                lineLength = 0;
                return;
            }
            flushWhite(false);
            encoded('\r');
        }
        if (b == '\r') {
            pendingCr = true;
            return;
        }
        flushWhite(false);
        if (b == ' ' || b == '\t') {
            pendingWhite = b;
        } else if (b >= 33 && b <= 126 && b != '=') {
            literal(b);
        } else {
            encoded(b);
        }
    }

    /** Writes what is held back; white space at the very end is encoded, since it ends the last line. */
    void finish() throws IOException {
        if (pendingCr) {
            pendingCr = false;
            flushWhite(false);
            encoded('\r');
        }
        flushWhite(true);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        finish();
    }

    private void flushWhite(boolean beforeLineBreak) throws IOException {
        if (pendingWhite >= 0) {
            int white = pendingWhite;
            pendingWhite = -1;
            if (beforeLineBreak) {
                encoded(white);
            } else {
                literal(white);
            }
        }
    }

    private void literal(int b) throws IOException {
        room(1);
        out.write(b);
        lineLength++;
    }

    private void encoded(int b) throws IOException {
        room(3);
        out.write('=');
        out.write(HEX[b >> 4]);
        out.write(HEX[b & 0xf]);
        lineLength += 3;
    }

    /** Breaks the line softly when n more characters and the "=" of a soft break would not fit. */
    private void room(int n) throws IOException {
        if (lineLength + n > MAX_LINE - 1) {
            out.write('=');
            out.write('\r');
            out.write('\n');
            lineLength = 0;
        }
    }
}

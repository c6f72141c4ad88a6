package org.osprey.smtp;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where the bytes of a message go as they arrive: into the spool file, up to the size limit (beyond it they are
 * counted and dropped, so the client can still be read to the end and told 552), while the header section is
 * scanned for Received lines (loop detection). Works the same for DATA and for BDAT chunks.
 */
final class MessageSink {
    private static final byte[] RECEIVED = "received:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final long limit;
    private long size;
    private boolean tooBig;
    private int receivedHeaders;
    // header scanning state
    private boolean inHeaders = true;
    private boolean lineStart = true;
    private int matched;
    private boolean lineIsEmptySoFar = true;

    MessageSink(OutputStream out, long limit) {
        this.out = out;
        this.limit = limit;
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (len <= 0) {
            return;
        }
        if (inHeaders) {
            scan(b, off, len);
        }
        if (tooBig) {
            size += len;
            return;
        }
        if (size + len > limit) {
            tooBig = true;
            size += len;
            return;
        }
        out.write(b, off, len);
        size += len;
    }

    private void scan(byte[] b, int off, int len) {
        for (int i = off; i < off + len && inHeaders; i++) {
            byte c = b[i];
            if (c == '\n') {
                if (lineIsEmptySoFar) {
                    inHeaders = false; // the empty line that ends the header section
                }
                lineStart = true;
                lineIsEmptySoFar = true;
                matched = 0;
                continue;
            }
            if (c != '\r') {
                lineIsEmptySoFar = false;
            }
            if (lineStart) {
                int lower = c >= 'A' && c <= 'Z' ? c + 32 : c;
                if (matched < RECEIVED.length && lower == RECEIVED[matched]) {
                    matched++;
                    if (matched == RECEIVED.length) {
                        receivedHeaders++;
                        lineStart = false;
                    }
                } else {
                    lineStart = false;
                }
            }
        }
    }

    long size() {
        return size;
    }

    boolean tooBig() {
        return tooBig;
    }

    int receivedHeaders() {
        return receivedHeaders;
    }
}

package org.osprey.imap.mime;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Presents a stored message (LF line endings, as the Maildir holds it) in its IMAP form: every LF not preceded by
 * CR gets one. Input that is already CRLF passes unchanged; a CR alone is content and stays. The octet count is
 * then what RFC822.SIZE reports (the W= of the file name). Not thread-safe.
 */
final class CrlfInputStream extends FilterInputStream {
    private final byte[] chunk = new byte[16 * 1024];
    private boolean previousCr;
    private boolean pendingLf;

    CrlfInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        if (pendingLf) {
            b[off] = '\n';
            pendingLf = false;
            previousCr = false;
            n = 1;
        }
        // Read at most half the room, so each LF can still get its CR inserted in place.
        int want = Math.min(chunk.length, Math.max(1, (len - n) / 2));
        int got = n == len ? 0 : in.read(chunk, 0, want);
        if (got < 0) {
            return n == 0 ? -1 : n;
        }
        for (int i = 0; i < got; i++) {
            byte c = chunk[i];
            if (c == '\n' && !previousCr) {
                b[off + n++] = '\r';
                if (n == len) {
                    pendingLf = true; // room for one byte only: the LF comes with the next read
                    previousCr = true;
                    continue;
                }
            }
            b[off + n++] = c;
            previousCr = c == '\r';
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(1, n))];
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public int available() {
        return 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** The CRLF form of stored octets; the same array when nothing changes. */
    static byte[] convert(byte[] stored) {
        int bare = 0;
        for (int i = 0; i < stored.length; i++) {
            if (stored[i] == '\n' && (i == 0 || stored[i - 1] != '\r')) {
                bare++;
            }
        }
        if (bare == 0) {
            return stored;
        }
        byte[] out = new byte[stored.length + bare];
        int o = 0;
        for (int i = 0; i < stored.length; i++) {
            byte c = stored[i];
            if (c == '\n' && (i == 0 || stored[i - 1] != '\r')) {
                out[o++] = '\r';
            }
            out[o++] = c;
        }
        return out;
    }
}

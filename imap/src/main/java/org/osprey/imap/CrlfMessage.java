package org.osprey.imap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A stored message (LF line endings in the Maildir) as IMAP sends it, with CRLF: its exact length and a copy of
 * any range of it, streamed from the file so a 50 MB message never sits in memory. A CR already before an LF is
 * kept, so files written with CRLF by other programs come out unchanged.
 */
final class CrlfMessage {
    private static final int BUFFER = 64 * 1024;

    private CrlfMessage() {
    }

    /** The length with CRLF line endings. */
    static long length(FileChannel file) throws IOException {
        long length = 0;
        boolean lastCr = false;
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        long position = 0;
        int n;
        while ((n = file.read(buffer.clear(), position)) > 0) {
            position += n;
            byte[] bytes = buffer.array();
            for (int i = 0; i < n; i++) {
                byte b = bytes[i];
                length += b == '\n' && !lastCr ? 2 : 1;
                lastCr = b == '\r';
            }
        }
        return length;
    }

    /** Writes {@code length} octets from {@code offset} of the CRLF form (fewer if the message ends first). */
    static void write(FileChannel file, OutputStream out, long offset, long length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        byte[] converted = new byte[BUFFER * 2];
        long skipped = 0;
        long written = 0;
        boolean lastCr = false;
        long position = 0;
        int n;
        while (written < length && (n = file.read(buffer.clear(), position)) > 0) {
            position += n;
            byte[] bytes = buffer.array();
            int c = 0;
            for (int i = 0; i < n; i++) {
                byte b = bytes[i];
                if (b == '\n' && !lastCr) {
                    converted[c++] = '\r';
                }
                converted[c++] = b;
                lastCr = b == '\r';
            }
            int start = 0;
            if (skipped < offset) {
                int skip = (int) Math.min(c, offset - skipped);
                skipped += skip;
                start = skip;
            }
            int count = (int) Math.min(c - start, length - written);
            if (count > 0) {
                out.write(converted, start, count);
                written += count;
            }
        }
    }
}

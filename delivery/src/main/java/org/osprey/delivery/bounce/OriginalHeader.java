package org.osprey.delivery.bounce;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The header of the returned message, read from the start of its stream up to the empty line that ends it; the
 * body is never read. At most {@code limit} bytes are kept, whole lines only, so a header of any size costs bounded
 * memory (a line longer than the limit is dropped with the rest). Line ends come out as CRLF.
 *
 * @param bytes     the header lines, each with CRLF, without the empty line
 * @param truncated lines were left out because of the limit
 */
public record OriginalHeader(byte[] bytes, boolean truncated) {

    public static OriginalHeader read(InputStream message, int limit) throws IOException {
        InputStream in = message instanceof BufferedInputStream ? message : new BufferedInputStream(message, 8192);
        var header = new ByteArrayOutputStream();
        var line = new ByteArrayOutputStream(256);
        while (true) {
            line.reset();
            boolean overflow = false;
            boolean ended = false;
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    ended = true;
                    break;
                }
                if (header.size() + line.size() >= limit) {
                    overflow = true; // this line cannot fit with its CRLF: stop before buffering more of it
                    break;
                }
                line.write(b);
            }
            if (overflow) {
                return new OriginalHeader(header.toByteArray(), true);
            }
            byte[] bytes = line.toByteArray();
            int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            if (length == 0) {
                return new OriginalHeader(header.toByteArray(), false); // the empty line, or the end of the stream
            }
            if (header.size() + length + 2 > limit) {
                return new OriginalHeader(header.toByteArray(), true);
            }
            header.write(bytes, 0, length);
            header.write('\r');
            header.write('\n');
            if (!ended) {
                return new OriginalHeader(header.toByteArray(), false); // a message that is all header
            }
        }
    }
}

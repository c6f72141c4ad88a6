package org.osprey.delivery.remote;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * Makes an 8BITMIME message 7-bit for a server that does not offer 8BITMIME (RFC 6152 §3 leaves the how to the
 * client; this is what Postfix's smtp does). Each leaf part whose body holds 8-bit octets is encoded again, text as
 * quoted-printable and anything else as base64, with its Content-Transfer-Encoding replaced; a multipart or an
 * embedded message declared 8bit or binary is relabelled 7bit (RFC 2045 §6.4 allows only identity encodings on
 * them) and its parts are treated the same way. Everything else goes out byte for byte, headers included: 8-bit
 * octets in a header cannot be fixed without rewriting it, and are left alone as Postfix leaves them.
 *
 * <p>Streams, in two passes over the message: {@link #scan} finds the leaves that need it (a message that turns
 * out to be 7-bit clean is then sent unchanged), {@link #write} writes the converted message. The structure is
 * parsed by mime4j; the leaves are numbered in parse order, which is the same in both passes.
 */
final class MimeDowngrade {
    private static final MimeConfig CONFIG = MimeConfig.custom()
        .setMaxLineLen(-1).setMaxHeaderCount(-1).setMaxHeaderLen(-1).setMaxContentLen(-1)
        .setStrictParsing(false)
        // a broken header line starts the body, as Postfix's cleanup reads it, instead of being dropped
        .setMalformedHeaderStartsBody(true)
        .build();
    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * Which leaves (in parse order) hold 8-bit octets, and which of those are not valid UTF-8 (needed only to
     * label a part that has no Content-Type at all).
     */
    record Scan(BitSet eightBit, BitSet notUtf8) {
        boolean clean() {
            return eightBit.isEmpty();
        }
    }

    private MimeDowngrade() {
    }

    /** @throws MimeException the structure cannot be parsed; the message is best sent as it is */
    static Scan scan(InputStream message) throws IOException, MimeException {
        Walk walk = new Walk(null, new BitSet(), new BitSet());
        walk.entity(message);
        return new Scan(walk.eightBit, walk.notUtf8);
    }

    /** Writes the 7-bit form of the message that {@code scan} was made from. */
    static void write(InputStream message, Scan scan, OutputStream out) throws IOException {
        try {
            new Walk(out, scan.eightBit(), scan.notUtf8()).entity(message);
        } catch (MimeException e) {
            // the first pass parsed the same bytes without error
            throw new IOException("MIME structure changed between passes: " + e.getMessage(), e);
        }
    }

    private static final class Multipart {
        final String boundary;
        int parts;
        boolean preamble;
        boolean closed;

        Multipart(String boundary) {
            this.boundary = boundary;
        }
    }

    /** One pass: scanning when {@code out} is null, else writing. */
    private static final class Walk {
        final OutputStream out;
        final BitSet eightBit;
        final BitSet notUtf8;
        int leaf;

        Walk(OutputStream out, BitSet eightBit, BitSet notUtf8) {
            this.out = out;
            this.eightBit = eightBit;
            this.notUtf8 = notUtf8;
        }

        /** One message: the top-level one, or one embedded in a message/rfc822 part. */
        void entity(InputStream in) throws IOException, MimeException {
            MimeTokenStream stream = new MimeTokenStream(CONFIG);
            // embedded messages come as bodies and are walked by a nested call, so that their octets pass here
            stream.setRecursionMode(RecursionMode.M_NO_RECURSE);
            stream.parse(in);
            List<Field> header = new ArrayList<>();
            Deque<Multipart> multiparts = new ArrayDeque<>();
            int bodyPartDepth = 0;
            for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM;
                 state = stream.next()) {
                switch (state) {
                    case T_START_HEADER -> header.clear();
                    case T_FIELD -> header.add(stream.getField());
                    case T_START_BODYPART -> {
                        Multipart m = multiparts.element();
                        // RFC 2046 §5.1.1: the CRLF before a delimiter belongs to the delimiter
                        write((m.parts++ > 0 || m.preamble ? "\r\n--" : "--") + m.boundary + "\r\n");
                        bodyPartDepth++;
                    }
                    case T_END_BODYPART -> bodyPartDepth--;
                    case T_START_MULTIPART -> {
                        writeHeader(header, Change.RELABEL, null);
                        multiparts.push(new Multipart(stream.getBodyDescriptor().getBoundary()));
                    }
                    case T_PREAMBLE -> {
                        multiparts.element().preamble = true;
                        copy(stream.getInputStream());
                    }
                    case T_EPILOGUE -> {
                        Multipart m = multiparts.element();
                        m.closed = true;
                        write("\r\n--" + m.boundary + "--\r\n");
                        copy(stream.getInputStream());
                    }
                    case T_END_MULTIPART -> {
                        Multipart m = multiparts.pop();
                        if (!m.closed && m.parts > 0) {
                            write("\r\n--" + m.boundary + "--");
                        }
                    }
                    case T_BODY -> body(stream, header, bodyPartDepth == 0);
                    default -> {
                        // start/end of message and end of header carry nothing to write
                    }
                }
            }
        }

        private void body(MimeTokenStream stream, List<Field> header, boolean message)
                throws IOException, MimeException {
            BodyDescriptor descriptor = stream.getBodyDescriptor();
            String type = descriptor.getMimeType().toLowerCase(Locale.ROOT);
            String encoding = descriptor.getTransferEncoding().toLowerCase(Locale.ROOT);
            // quoted-printable, base64 and unknown encodings are left as they are: already 7-bit, or not ours
            boolean identity = encoding.equals("7bit") || encoding.equals("8bit") || encoding.equals("binary");
            if (type.equals("message/rfc822") && identity) {
                writeHeader(header, Change.RELABEL, null);
                entity(stream.getInputStream());
                return;
            }
            int index = leaf++;
            if (out == null) {
                if (identity) {
                    scanLeaf(stream.getInputStream(), index);
                }
                return;
            }
            if (!eightBit.get(index)) {
                writeHeader(header, Change.NONE, null);
                copy(stream.getInputStream());
                return;
            }
            boolean text = type.startsWith("text/");
            List<String> added = new ArrayList<>();
            if (message && !has(header, "MIME-Version")) {
                added.add("MIME-Version: 1.0");
            }
            if (!has(header, "Content-Type") && type.equals("text/plain")) {
                // RFC 1428 §3 names octets of unknown charset; valid UTF-8 is most likely just that
                added.add("Content-Type: text/plain; charset=" + (notUtf8.get(index) ? "unknown-8bit" : "utf-8"));
            }
            added.add("Content-Transfer-Encoding: " + (text ? "quoted-printable" : "base64"));
            writeHeader(header, Change.REPLACE, added);
            OutputStream shielded = new Shielded(out);
            if (text) {
                QuotedPrintableOutputStream qp = new QuotedPrintableOutputStream(shielded);
                stream.getInputStream().transferTo(qp);
                qp.finish();
            } else {
                try (OutputStream base64 = Base64.getMimeEncoder(76, CRLF).wrap(shielded)) {
                    stream.getInputStream().transferTo(base64);
                }
            }
        }

        private void scanLeaf(InputStream in, int index) throws IOException {
            byte[] buffer = new byte[8192];
            boolean high = false;
            boolean utf8 = true;
            int need = 0; // continuation octets still expected in a UTF-8 sequence
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    int b = buffer[i] & 0xff;
                    if (b < 0x80) {
                        utf8 &= need == 0;
                        continue;
                    }
                    high = true;
                    if (need > 0) {
                        if ((b & 0xc0) == 0x80) {
                            need--;
                        } else {
                            utf8 = false;
                            need = 0;
                        }
                    } else if (b >= 0xc2 && b <= 0xdf) {
                        need = 1;
                    } else if ((b & 0xf0) == 0xe0) {
                        need = 2;
                    } else if (b >= 0xf0 && b <= 0xf4) {
                        need = 3;
                    } else {
                        utf8 = false;
                    }
                }
            }
            if (high) {
                eightBit.set(index);
                if (!utf8 || need != 0) {
                    notUtf8.set(index);
                }
            }
        }

        private enum Change { NONE, RELABEL, REPLACE }

        /**
         * RELABEL turns an 8bit or binary Content-Transfer-Encoding into 7bit; REPLACE drops it, and {@code added}
         * fields go at the end of the header.
         */
        private void writeHeader(List<Field> header, Change change, List<String> added) throws IOException {
            if (out == null) {
                return;
            }
            for (Field field : header) {
                boolean encodingField = field.getName().equalsIgnoreCase("Content-Transfer-Encoding");
                if (encodingField && change == Change.REPLACE) {
                    continue;
                }
                if (encodingField && change == Change.RELABEL) {
                    String value = field.getBody().strip().toLowerCase(Locale.ROOT);
                    if (value.equals("8bit") || value.equals("binary")) {
                        write("Content-Transfer-Encoding: 7bit\r\n");
                        continue;
                    }
                }
                if (field.getRaw() != null) {
                    out.write(field.getRaw().toByteArray());
                } else {
                    write(field.getName() + ": " + field.getBody());
                }
                out.write(CRLF);
            }
            if (added != null) {
                for (String line : added) {
                    write(line + "\r\n");
                }
            }
            out.write(CRLF);
        }

        private static boolean has(List<Field> header, String name) {
            return header.stream().anyMatch(f -> f.getName().equalsIgnoreCase(name));
        }

        private void copy(InputStream in) throws IOException {
            if (out != null) {
                in.transferTo(out);
            }
        }

        private void write(String ascii) throws IOException {
            if (out != null) {
                out.write(ascii.getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    /** Lets an encoder be closed (to write its last bytes) without closing the message stream under it. */
    private static final class Shielded extends FilterOutputStream {
        Shielded(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}

package org.osprey.imap.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;

/**
 * Undoes a Content-Transfer-Encoding (RFC 2045 §6) with mime4j's decoders, leniently: characters that do not
 * belong in base64 are skipped, a broken quoted-printable escape stays as it is, decoding stops at base64 padding.
 * (Dovecot refuses such parts with NO [PARSE]; a client asking BINARY gets the best reading instead.)
 */
enum TransferEncoding {
    /** 7bit, 8bit, binary, or none given: the octets are the content. */
    IDENTITY,
    BASE64,
    QUOTED_PRINTABLE,
    UNKNOWN;

    static TransferEncoding of(byte[] fieldValue) {
        byte[] token = ContentFields.transferEncoding(fieldValue);
        if (token == null) {
            return IDENTITY;
        }
        return switch (ContentFields.latin1(token).toLowerCase(Locale.ROOT)) {
            case "7bit", "8bit", "binary" -> IDENTITY;
            case "base64" -> BASE64;
            case "quoted-printable" -> QUOTED_PRINTABLE;
            default -> UNKNOWN;
        };
    }

    /** Writes the decoded form of {@code length} octets at {@code offset} (not for UNKNOWN). */
    void decode(byte[] source, int offset, int length, OutputStream out) throws IOException {
        InputStream raw = new ByteArrayInputStream(source, offset, length);
        InputStream decoded = switch (this) {
            case IDENTITY -> null;
            case BASE64 -> new Base64InputStream(raw, DecodeMonitor.SILENT);
            case QUOTED_PRINTABLE -> new QuotedPrintableInputStream(raw, DecodeMonitor.SILENT);
            case UNKNOWN -> throw new IllegalStateException("cannot decode an unknown encoding");
        };
        if (decoded == null) {
            out.write(source, offset, length);
        } else {
            decoded.transferTo(out);
        }
    }
}

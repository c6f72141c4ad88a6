package org.osprey.imap.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes BODYSTRUCTURE, or with {@code extensible} false the BODY form (RFC 9051 §7.5.2, RFC 3501 §7.4.2), of a
 * parsed entity, in Dovecot's manner: types, subtypes, parameter names and the transfer encoding as written;
 * text/* without a charset gets {@code ("charset" "us-ascii")}; a missing transfer encoding is "7bit"; the
 * extension data is MD5, disposition, language (always a list) and location. A multipart without parts (no
 * boundary found) is written with one empty text/plain part, since the grammar needs at least one.
 */
final class BodyStructureWriter {
    private static final byte[] CHARSET = "charset".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] US_ASCII = "us-ascii".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEVEN_BIT = "7bit".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_PART = "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0"
            .getBytes(StandardCharsets.US_ASCII);

    private BodyStructureWriter() {
    }

    static void write(ByteArrayOutputStream out, MimePart part, boolean extensible) {
        if (part.kind == MimePart.Kind.MULTIPART) {
            multipart(out, part, extensible);
        } else {
            single(out, part, extensible);
        }
    }

    private static void multipart(ByteArrayOutputStream out, MimePart part, boolean extensible) {
        out.write('(');
        if (part.children.isEmpty()) {
            out.writeBytes(EMPTY_PART);
            if (extensible) {
                out.writeBytes(" NIL NIL NIL NIL".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(')');
        }
        for (MimePart child : part.children) {
            write(out, child, extensible);
        }
        out.write(' ');
        ImapStrings.string(out, part.contentType.subtype());
        if (extensible) {
            out.write(' ');
            params(out, part.contentType.params());
            extension(out, part);
        }
        out.write(')');
    }

    private static void single(ByteArrayOutputStream out, MimePart part, boolean extensible) {
        var type = part.contentType;
        List<ContentFields.Param> params = type.params();
        if (part.unexpanded) {
            type = ContentFields.ContentType.OCTET_STREAM;
        } else if (type.is("text") && type.param("charset") == null) {
            params = new java.util.ArrayList<>(params);
            params.add(new ContentFields.Param(CHARSET, US_ASCII));
        }
        out.write('(');
        ImapStrings.string(out, type.type());
        out.write(' ');
        ImapStrings.string(out, type.subtype());
        out.write(' ');
        params(out, params);
        out.write(' ');
        ImapStrings.nstring(out, part.contentField("content-id"));
        out.write(' ');
        ImapStrings.nstring(out, part.contentField("content-description"));
        out.write(' ');
        byte[] encoding = ContentFields.transferEncoding(part.contentField("content-transfer-encoding"));
        ImapStrings.string(out, encoding == null ? SEVEN_BIT : encoding);
        out.write(' ');
        ImapStrings.number(out, part.bodySize());
        if (part.kind == MimePart.Kind.MESSAGE) {
            out.write(' ');
            EnvelopeWriter.write(out, part.message.header);
            out.write(' ');
            write(out, part.message, extensible);
            out.write(' ');
            ImapStrings.number(out, part.bodyLines());
        } else if (part.isText()) {
            out.write(' ');
            ImapStrings.number(out, part.bodyLines());
        }
        if (extensible) {
            out.write(' ');
            ImapStrings.nstring(out, part.contentField("content-md5"));
            extension(out, part);
        }
        out.write(')');
    }

    /** Disposition, language, location: the extension data both kinds share. */
    private static void extension(ByteArrayOutputStream out, MimePart part) {
        out.write(' ');
        var disposition = ContentFields.disposition(part.contentField("content-disposition"));
        if (disposition == null) {
            ImapStrings.nil(out);
        } else {
            out.write('(');
            ImapStrings.string(out, disposition.type());
            out.write(' ');
            params(out, disposition.params());
            out.write(')');
        }
        out.write(' ');
        List<byte[]> languages = ContentFields.languages(part.contentField("content-language"));
        if (languages.isEmpty()) {
            ImapStrings.nil(out);
        } else {
            out.write('(');
            for (int i = 0; i < languages.size(); i++) {
                if (i > 0) {
                    out.write(' ');
                }
                ImapStrings.string(out, languages.get(i));
            }
            out.write(')');
        }
        out.write(' ');
        ImapStrings.nstring(out, part.contentField("content-location"));
    }

    private static void params(ByteArrayOutputStream out, List<ContentFields.Param> params) {
        if (params.isEmpty()) {
            ImapStrings.nil(out);
            return;
        }
        out.write('(');
        for (int i = 0; i < params.size(); i++) {
            if (i > 0) {
                out.write(' ');
            }
            ImapStrings.string(out, params.get(i).name());
            out.write(' ');
            ImapStrings.string(out, params.get(i).value());
        }
        out.write(')');
    }
}

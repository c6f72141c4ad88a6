package org.osprey.sieve;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.codec.EncoderUtil;
import org.osprey.sieve.message.HeaderBlock;

/**
 * Applies editheader changes ({@link SieveResult#editsFor(int)}) to a message as it is stored or sent: the header
 * is read, edited field by field in the order of the edits, and written back; untouched fields keep their bytes,
 * the body is streamed through unchanged. Added values with non-ASCII text are RFC 2047-encoded and long ones
 * folded (RFC 5293 §4). Lines end as the message's first field does (CRLF, or LF for a message stored with LF).
 */
public final class HeaderEditor {
    private static final int FOLD_AT = 78;

    private HeaderEditor() {
    }

    /** The message with {@code edits} applied; the returned stream reads the rest of {@code message}. */
    public static InputStream apply(InputStream message, List<HeaderEdit> edits) throws IOException {
        if (edits.isEmpty()) {
            return message;
        }
        BufferedInputStream in = new BufferedInputStream(message);
        HeaderBlock block = HeaderBlock.read(in);
        byte[] bytes = block.bytes();
        String newline = "\r\n";
        List<String> names = new ArrayList<>();
        List<byte[]> fields = new ArrayList<>();
        for (HeaderBlock.Field field : block.fields()) {
            names.add(field.name().toLowerCase(Locale.ROOT));
            fields.add(Arrays.copyOfRange(bytes, field.start(), field.end()));
        }
        if (!fields.isEmpty()) {
            byte[] first = fields.getFirst();
            boolean crlf = first.length >= 2 && first[first.length - 2] == '\r';
            newline = first[first.length - 1] == '\n' && !crlf ? "\n" : "\r\n";
        }
        for (HeaderEdit edit : edits) {
            switch (edit) {
                case HeaderEdit.AddHeader add -> {
                    byte[] field = field(add.name(), add.value(), newline);
                    int at = add.last() ? fields.size() : 0;
                    names.add(at, add.name().toLowerCase(Locale.ROOT));
                    fields.add(at, field);
                }
                case HeaderEdit.DeleteHeader delete -> {
                    String name = delete.name().toLowerCase(Locale.ROOT);
                    int seen = 0;
                    for (int i = 0; i < names.size(); i++) {
                        if (names.get(i).equals(name) && ++seen == delete.occurrence()) {
                            names.remove(i);
                            fields.remove(i);
                            break;
                        }
                    }
                }
            }
        }
        var header = new ByteArrayOutputStream(bytes.length + 256);
        for (byte[] field : fields) {
            header.write(field);
            if (field.length > 0 && field[field.length - 1] != '\n') {
                header.write(newline.getBytes(StandardCharsets.US_ASCII)); // the last line of a body-less message
            }
        }
        if (block.hasBody()) {
            header.write(newline.getBytes(StandardCharsets.US_ASCII));
        }
        return new SequenceInputStream(new ByteArrayInputStream(header.toByteArray()), in);
    }

    /** "Name: value" with its line end: non-ASCII text as RFC 2047 encoded-words, folded at blanks near 78. */
    static byte[] field(String name, String value, String newline) {
        String encoded = EncoderUtil.encodeIfNecessary(value, EncoderUtil.Usage.TEXT_TOKEN, name.length() + 2);
        var out = new StringBuilder(name).append(':');
        int lineLength = out.length();
        for (String word : encoded.split(" ", -1)) {
            if (lineLength + 1 + word.length() > FOLD_AT && lineLength > name.length() + 1) {
                out.append(newline);
                lineLength = 0;
            }
            out.append(' ').append(word);
            lineLength += 1 + word.length();
        }
        return out.append(newline).toString().getBytes(StandardCharsets.UTF_8);
    }
}

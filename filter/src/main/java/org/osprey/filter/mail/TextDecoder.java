package org.osprey.filter.mail;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.james.mime4j.util.CharsetUtil;

/**
 * Turns the decoded bytes of a text part into text by the charset it declares. Undeclared or plain ASCII text that
 * holds 8-bit bytes is read as UTF-8 when it is valid UTF-8 and as windows-1252 (ISO-8859-1 with the printable
 * extras mail programs use) otherwise; an unknown charset is recorded and read the same way.
 */
final class TextDecoder {
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private TextDecoder() {
    }

    static String decode(byte[] bytes, String declared, Set<String> problems) {
        Charset charset = null;
        if (declared != null && !declared.isBlank()) {
            charset = lookup(declared.strip());
            if (charset == null) {
                problems.add(ParsedMessage.UNKNOWN_CHARSET);
            }
        }
        if (charset == null || charset.equals(StandardCharsets.US_ASCII)) {
            return utf8OrLatin(bytes);
        }
        if (charset.equals(StandardCharsets.UTF_8)) {
            String strict = strictUtf8(bytes);
            if (strict != null) {
                return strict;
            }
            problems.add(ParsedMessage.CHARSET_MISMATCH);
            return new String(bytes, WINDOWS_1252);
        }
        return new String(bytes, charset); // malformed input replaced
    }

    private static Charset lookup(String name) {
        try {
            return CharsetUtil.lookup(name.replace("\"", ""));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String utf8OrLatin(byte[] bytes) {
        boolean ascii = true;
        for (byte b : bytes) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        String utf8 = strictUtf8(bytes);
        return utf8 != null ? utf8 : new String(bytes, WINDOWS_1252);
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

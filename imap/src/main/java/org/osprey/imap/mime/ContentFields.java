package org.osprey.imap.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.apache.james.mime4j.util.CharsetUtil;

/**
 * Reads the MIME fields BODYSTRUCTURE reports: Content-Type and Content-Disposition with their parameters,
 * Content-Transfer-Encoding, Content-Language. Case is kept as written (Dovecot does the same: {@code "TEXT"
 * "Plain" ("CHARSET" ...)}); charset names are looked up with mime4j's {@link CharsetUtil}, which knows the
 * aliases mail uses.
 *
 * <p>RFC 2231 parameters ({@code name*0*=utf-8''%C3%A9; name*1=".txt"}) are joined and their charset decoded, and
 * reported under the plain name with the decoded value in UTF-8; when a plain parameter of that name is there too
 * (senders add one for old readers), the RFC 2231 value replaces it in its place. Dovecot 2.3 instead reports the
 * joined value undecoded under {@code name*}; we do that only when the charset is unknown. RFC 2047 encoded-words
 * in parameter values (not allowed there, but common) are left as they are, as Dovecot leaves them.
 */
final class ContentFields {
    private ContentFields() {
    }

    /** A parameter as reported: name as written, value as raw octets or, after RFC 2231 decoding, UTF-8. */
    record Param(byte[] name, byte[] value) {
        boolean named(String lowerCaseName) {
            return new String(name, StandardCharsets.ISO_8859_1).equalsIgnoreCase(lowerCaseName);
        }
    }

    /** A Content-Type: type and subtype as written, and the parameters. */
    record ContentType(byte[] type, byte[] subtype, List<Param> params) {
        static final ContentType TEXT_PLAIN = of("text", "plain");
        static final ContentType MESSAGE_RFC822 = of("message", "rfc822");
        static final ContentType OCTET_STREAM = of("application", "octet-stream");

        private static ContentType of(String type, String subtype) {
            return new ContentType(type.getBytes(StandardCharsets.US_ASCII),
                    subtype.getBytes(StandardCharsets.US_ASCII), List.of());
        }

        boolean is(String lowerCaseType) {
            return latin1(type).equalsIgnoreCase(lowerCaseType);
        }

        boolean is(String lowerCaseType, String lowerCaseSubtype) {
            return is(lowerCaseType) && latin1(subtype).equalsIgnoreCase(lowerCaseSubtype);
        }

        /** The value of a parameter (name matched case-insensitively), or null. */
        byte[] param(String lowerCaseName) {
            return ContentFields.param(params, lowerCaseName);
        }

        ContentType withParams(List<Param> newParams) {
            return new ContentType(type, subtype, newParams);
        }
    }

    /** A Content-Disposition: its type as written and its parameters. */
    record Disposition(byte[] type, List<Param> params) {
        boolean isAttachment() {
            return latin1(type).equalsIgnoreCase("attachment");
        }
    }

    /**
     * Parses a Content-Type value; null when absent or not {@code type/subtype}, in which case the caller uses the
     * default (RFC 2045 §5.2: text/plain; charset=us-ascii, or message/rfc822 inside multipart/digest).
     */
    static ContentType contentType(byte[] value) {
        if (value == null) {
            return null;
        }
        RawBody body = rawBody(value);
        String mimeType = body.value();
        int slash = mimeType.indexOf('/');
        if (slash <= 0 || slash == mimeType.length() - 1) {
            return null;
        }
        String type = mimeType.substring(0, slash).strip();
        String subtype = mimeType.substring(slash + 1).strip();
        if (!isToken(type) || !isToken(subtype)) {
            return null;
        }
        return new ContentType(bytes(type), bytes(subtype), params(body.params()));
    }

    /** Parses a Content-Disposition value; null when absent or empty. */
    static Disposition disposition(byte[] value) {
        if (value == null) {
            return null;
        }
        RawBody body = rawBody(value);
        String type = body.value().strip();
        if (type.isEmpty()) {
            return null;
        }
        return new Disposition(bytes(type), params(body.params()));
    }

    /** The transfer encoding as written (first token), or null when absent or empty. */
    static byte[] transferEncoding(byte[] value) {
        if (value == null) {
            return null;
        }
        int start = 0;
        while (start < value.length && isSpace(value[start])) {
            start++;
        }
        int end = start;
        while (end < value.length && !isSpace(value[end]) && value[end] != ';' && value[end] != '(') {
            end++;
        }
        return end == start ? null : Arrays.copyOfRange(value, start, end);
    }

    /** The language tags of Content-Language (comma or space separated), empty when none. */
    static List<byte[]> languages(byte[] value) {
        List<byte[]> tags = new ArrayList<>();
        if (value == null) {
            return tags;
        }
        int i = 0;
        while (i < value.length) {
            byte b = value[i];
            if (b == '(') { // a comment
                int depth = 0;
                for (; i < value.length; i++) {
                    if (value[i] == '(') {
                        depth++;
                    } else if (value[i] == ')' && --depth == 0) {
                        break;
                    }
                }
                i++;
            } else if (b == ',' || isSpace(b)) {
                i++;
            } else {
                int start = i;
                while (i < value.length && value[i] != ',' && value[i] != '(' && !isSpace(value[i])) {
                    i++;
                }
                tags.add(Arrays.copyOfRange(value, start, i));
            }
        }
        return tags;
    }

    static byte[] param(List<Param> params, String lowerCaseName) {
        for (Param p : params) {
            if (p.named(lowerCaseName)) {
                return p.value();
            }
        }
        return null;
    }

    /** A field value split into its main value and its parameters, octets as chars 0–255. */
    private record RawBody(String value, List<String[]> params) {
    }

    /**
     * Splits {@code value; name=value; name="quoted value"} (RFC 2045 §5.1), skipping comments and whitespace.
     * Lenient: a parameter without '=' is dropped, an unquoted value ends at whitespace, ';' or '(', an unclosed
     * quoted string or comment at the end of the field. Unlike mime4j's {@code RawFieldParser} this leaves RFC 2047
     * encoded-words in quoted values alone.
     */
    private static RawBody rawBody(byte[] value) {
        int[] at = {0};
        String main = text(value, at, true).strip();
        List<String[]> params = new ArrayList<>();
        while (at[0] < value.length) {
            at[0]++; // the ';'
            String name = text(value, at, false).strip();
            if (at[0] >= value.length || value[at[0]] != '=') {
                skipTo(value, at, ';');
                continue;
            }
            at[0]++; // the '='
            skipSpaceAndComments(value, at);
            String v;
            if (at[0] < value.length && value[at[0]] == '"') {
                var b = new StringBuilder();
                int i = at[0] + 1;
                for (; i < value.length && value[i] != '"'; i++) {
                    if (value[i] == '\\' && i + 1 < value.length) {
                        i++;
                    }
                    if (value[i] != '\r' && value[i] != '\n') {
                        b.append((char) (value[i] & 0xff));
                    }
                }
                at[0] = Math.min(i + 1, value.length);
                v = b.toString();
            } else {
                int start = at[0];
                while (at[0] < value.length && !isSpace(value[at[0]]) && value[at[0]] != ';' && value[at[0]] != '(') {
                    at[0]++;
                }
                v = new String(value, start, at[0] - start, StandardCharsets.ISO_8859_1);
            }
            skipTo(value, at, ';');
            if (!name.isEmpty()) {
                params.add(new String[] {name, v});
            }
        }
        return new RawBody(main, params);
    }

    /** Text up to ';' (for a parameter name also up to '='), comments left out. */
    private static String text(byte[] value, int[] at, boolean main) {
        var b = new StringBuilder();
        while (at[0] < value.length) {
            byte c = value[at[0]];
            if (c == ';' || (!main && c == '=')) {
                break;
            }
            if (c == '(') {
                skipComment(value, at);
                b.append(' ');
                continue;
            }
            if (c != '\r' && c != '\n') {
                b.append((char) (c & 0xff));
            }
            at[0]++;
        }
        return b.toString();
    }

    private static void skipTo(byte[] value, int[] at, char stop) {
        boolean quoted = false;
        while (at[0] < value.length) {
            byte c = value[at[0]];
            if (!quoted && c == stop) {
                return;
            }
            if (!quoted && c == '(') {
                skipComment(value, at);
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                at[0]++;
            }
            at[0]++;
        }
    }

    private static void skipSpaceAndComments(byte[] value, int[] at) {
        while (at[0] < value.length) {
            if (value[at[0]] == '(') {
                skipComment(value, at);
            } else if (isSpace(value[at[0]])) {
                at[0]++;
            } else {
                return;
            }
        }
    }

    private static void skipComment(byte[] value, int[] at) {
        int depth = 0;
        while (at[0] < value.length) {
            byte c = value[at[0]++];
            if (c == '\\') {
                at[0]++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return;
            }
        }
    }

    /** Plain parameters in order; RFC 2231 ones joined, decoded, and put in place of a plain one of that name. */
    private static List<Param> params(List<String[]> pairs) {
        List<Param> out = new ArrayList<>(pairs.size());
        TreeMap<String, Extended> extended = new TreeMap<>();
        List<String> extendedOrder = new ArrayList<>();
        for (String[] pair : pairs) {
            String name = pair[0];
            String value = pair[1];
            int star = name.indexOf('*');
            Segment segment = star < 0 ? null : Segment.of(name.substring(star + 1), value);
            if (segment == null) {
                out.add(new Param(bytes(name), bytes(value)));
                continue;
            }
            String base = name.substring(0, star);
            String key = base.toLowerCase(Locale.ROOT);
            Extended e = extended.get(key);
            if (e == null) {
                e = new Extended(base);
                extended.put(key, e);
                extendedOrder.add(key);
            }
            e.segments.putIfAbsent(segment.index, segment);
        }
        for (String key : extendedOrder) {
            Param joined = extended.get(key).join();
            int at = -1;
            for (int i = 0; i < out.size() && at < 0; i++) {
                if (out.get(i).named(key)) {
                    at = i;
                }
            }
            if (at >= 0 && !latin1(joined.name()).endsWith("*")) {
                out.set(at, joined);
            } else {
                out.add(joined);
            }
        }
        return out;
    }

    /** One piece of an RFC 2231 parameter: {@code name*<index>[*]} or {@code name*} (index 0, encoded). */
    private record Segment(int index, boolean encoded, String value) {
        static Segment of(String afterStar, String value) {
            if (afterStar.isEmpty()) {
                return new Segment(0, true, value);
            }
            int i = 0;
            int index = 0;
            while (i < afterStar.length() && Character.isDigit(afterStar.charAt(i)) && i < 6) {
                index = index * 10 + (afterStar.charAt(i) - '0');
                i++;
            }
            if (i == 0) {
                return null;
            }
            String rest = afterStar.substring(i);
            if (rest.isEmpty()) {
                return new Segment(index, false, value);
            }
            return rest.equals("*") ? new Segment(index, true, value) : null;
        }
    }

    private static final class Extended {
        final String name;
        final TreeMap<Integer, Segment> segments = new TreeMap<>();

        Extended(String name) {
            this.name = name;
        }

        Param join() {
            Segment first = segments.firstEntry().getValue();
            Charset charset = null;
            String firstValue = first.value;
            boolean charsetKnown = true;
            if (first.encoded) {
                // RFC 2231 §4: charset'language'value in the first encoded segment
                int q1 = firstValue.indexOf('\'');
                int q2 = q1 < 0 ? -1 : firstValue.indexOf('\'', q1 + 1);
                if (q2 >= 0) {
                    String charsetName = firstValue.substring(0, q1);
                    firstValue = firstValue.substring(q2 + 1);
                    if (!charsetName.isEmpty()) {
                        charset = lookup(charsetName);
                        charsetKnown = charset != null;
                    }
                }
            }
            var raw = new ByteArrayOutputStream();
            var undecoded = new StringBuilder();
            for (Segment s : segments.values()) {
                String v = s == first ? firstValue : s.value;
                undecoded.append(s.value);
                if (s.encoded) {
                    percentDecode(v, raw);
                } else {
                    raw.writeBytes(v.getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            if (!charsetKnown) {
                return new Param(bytes(name + "*"), bytes(undecoded.toString()));
            }
            byte[] value = raw.toByteArray();
            if (charset != null) {
                value = new String(value, charset).getBytes(StandardCharsets.UTF_8);
            }
            return new Param(bytes(name), value);
        }
    }

    private static Charset lookup(String name) {
        try {
            return CharsetUtil.lookup(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void percentDecode(String value, ByteArrayOutputStream out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length() && hex(value.charAt(i + 1)) >= 0 && hex(value.charAt(i + 2)) >= 0) {
                out.write(hex(value.charAt(i + 1)) * 16 + hex(value.charAt(i + 2)));
                i += 2;
            } else {
                out.write(c);
            }
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    /** mime4j hands header octets over as chars 0–255; this turns them back into the same octets. */
    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}

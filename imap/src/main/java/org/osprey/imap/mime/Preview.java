package org.osprey.imap.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.util.CharsetUtil;

/**
 * RFC 8970 PREVIEW text. The part: depth-first, the first text/plain or text/html that is not an attachment,
 * preferring text/plain inside multipart/alternative; attached messages are not looked into. Only the first
 * {@link #MAX_INPUT} octets of it are decoded. HTML loses its tags, comments, scripts and styles, and the common
 * entities are resolved. Whitespace runs become one space; the result is cut to 200 characters and 256 octets.
 */
final class Preview {
    static final int MAX_CHARS = 200;
    static final int MAX_OCTETS = 256;
    private static final int MAX_INPUT = 64 * 1024;
    private static final Pattern INVISIBLE = Pattern.compile(
            "(?is)<!--.*?(-->|$)|<(script|style|head)\\b.*?(</\\2\\s*>|$)");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]*(>|$)");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");

    private Preview() {
    }

    static String of(byte[] crlf, MimePart root) {
        MimePart part = find(root);
        if (part == null) {
            return "";
        }
        TransferEncoding encoding = TransferEncoding.of(part.header.first("content-transfer-encoding"));
        if (encoding == TransferEncoding.UNKNOWN) {
            return "";
        }
        var decoded = new ByteArrayOutputStream();
        try {
            encoding.decode(crlf, (int) part.bodyStart, (int) Math.min(part.bodySize(), MAX_INPUT), decoded);
        } catch (IOException e) {
            return "";
        }
        String text = decoded.toString(charset(part.contentType.param("charset")));
        if (part.contentType.is("text", "html")) {
            text = html(text);
        }
        return shorten(collapse(text));
    }

    private static MimePart find(MimePart part) {
        return switch (part.kind) {
            case MESSAGE -> null;
            case LEAF -> !part.unexpanded && isTextOrHtml(part) && !isAttachment(part) ? part : null;
            case MULTIPART -> {
                boolean alternative = part.contentType.is("multipart", "alternative");
                MimePart found = null;
                for (MimePart child : part.children) {
                    MimePart f = find(child);
                    if (f != null && (!alternative || f.contentType.is("text", "plain"))) {
                        yield f;
                    }
                    if (found == null) {
                        found = f;
                    }
                }
                yield found;
            }
        };
    }

    private static boolean isTextOrHtml(MimePart part) {
        return part.contentType.is("text", "plain") || part.contentType.is("text", "html");
    }

    private static boolean isAttachment(MimePart part) {
        var disposition = ContentFields.disposition(part.contentField("content-disposition"));
        return disposition != null && disposition.isAttachment();
    }

    private static Charset charset(byte[] name) {
        if (name == null) {
            return StandardCharsets.UTF_8; // US-ASCII by RFC 2045, and UTF-8 reads it the same
        }
        try {
            Charset c = CharsetUtil.lookup(ContentFields.latin1(name).strip());
            return c == null || c.equals(StandardCharsets.US_ASCII) ? StandardCharsets.UTF_8 : c;
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static String html(String html) {
        String text = INVISIBLE.matcher(html).replaceAll(" ");
        text = TAG.matcher(text).replaceAll(" ");
        Matcher m = ENTITY.matcher(text);
        var out = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(entity(m.group(1), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String entity(String name, String whole) {
        if (name.startsWith("#")) {
            try {
                int cp = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
                        ? Integer.parseInt(name.substring(2), 16) : Integer.parseInt(name.substring(1));
                return Character.isValidCodePoint(cp) && cp != 0 ? Character.toString(cp) : " ";
            } catch (NumberFormatException e) {
                return whole;
            }
        }
        return switch (name) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            case "nbsp" -> " ";
            default -> whole;
        };
    }

    private static String collapse(String text) {
        var out = new StringBuilder(Math.min(text.length(), 4 * MAX_CHARS));
        boolean space = false;
        for (int i = 0; i < text.length() && out.length() < 4 * MAX_CHARS; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)
                    || cp == 0xfeff) {
                space = !out.isEmpty();
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    private static String shorten(String text) {
        int chars = 0;
        int octets = 0;
        int end = 0;
        while (end < text.length() && chars < MAX_CHARS) {
            int cp = text.codePointAt(end);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (octets + size > MAX_OCTETS) {
                break;
            }
            octets += size;
            chars++;
            end += Character.charCount(cp);
        }
        return text.substring(0, end).strip();
    }
}

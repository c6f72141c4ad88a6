package org.osprey.sieve.message;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of an HTML part for {@code body :text} (RFC 5173 §5.3 allows stripping mark-up): script and style
 * content, comments and tags removed, block ends turned into line breaks, the common character references decoded.
 * Good enough to find words in mail, not a renderer.
 */
final class HtmlText {
    private static final Pattern HIDDEN = Pattern.compile("(?is)<(script|style)\\b.*?</\\1\\s*>|<!--.*?-->");
    private static final Pattern BREAK = Pattern.compile("(?i)<(br|/p|/div|/tr|/li|/h[1-6])\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern REFERENCE = Pattern.compile("&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,6});");

    private HtmlText() {
    }

    static String toText(String html) {
        String text = HIDDEN.matcher(html).replaceAll("");
        text = BREAK.matcher(text).replaceAll("\r\n");
        text = TAG.matcher(text).replaceAll("");
        Matcher m = REFERENCE.matcher(text);
        var out = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(reference(m.group(1), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String reference(String name, String whole) {
        try {
            if (name.startsWith("#x") || name.startsWith("#X")) {
                return Character.toString(Integer.parseInt(name.substring(2), 16));
            }
            if (name.startsWith("#")) {
                return Character.toString(Integer.parseInt(name.substring(1)));
            }
        } catch (IllegalArgumentException e) {
            return whole;
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
}

package org.osprey.filter.mail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The reader's view of an HTML part, read with jsoup: the text a mail program shows (scripts, styles and the head
 * left out, hidden text apart), the links with their visible text, and counts of images, forms and scripts. Text
 * is "hidden" when inline style or attributes keep it from view: display:none, visibility:hidden, the hidden
 * attribute, a zero or 1px font, opacity 0, a zero max-height with overflow hidden, mso-hide:all, or a text colour
 * equal to the background colour (the page background counts as white unless a style sheet could set it).
 */
record HtmlText(String visibleText, List<ParsedMessage.Link> links, ParsedMessage.HtmlSummary summary) {
    private static final Set<String> NOT_SHOWN = Set.of("script", "style", "head", "title", "template", "xml");
    private static final Set<String> BREAKS = Set.of("br", "td", "th", "li", "tr", "p", "div");
    private static final String UNKNOWN = "?";

    /** What an element passes on to its content. */
    private record Look(boolean skipped, boolean hidden, String color, String background) {
    }

    static HtmlText of(String html) {
        Document document = Jsoup.parse(html);
        // A style sheet can give any element a background we do not compute: then only inline colours count.
        boolean sheetBackgrounds = (html.contains("<style") || html.contains("<STYLE") || html.contains("<Style"))
            && document.getElementsByTag("style").stream()
                .anyMatch(s -> s.data().toLowerCase(Locale.ROOT).contains("background"));
        Reader reader = new Reader(sheetBackgrounds ? UNKNOWN : "#ffffff");
        NodeTraversor.traverse(reader, document);
        return new HtmlText(normalizeSpace(reader.visible), reader.links,
            new ParsedMessage.HtmlSummary(1, reader.images, reader.visibleChars, reader.hiddenChars, reader.forms,
                reader.scripts));
    }

    private static final class Reader implements NodeVisitor {
        final StringBuilder visible = new StringBuilder();
        final List<ParsedMessage.Link> links = new ArrayList<>();
        final Deque<Look> looks = new ArrayDeque<>();
        int visibleChars;
        int hiddenChars;
        int images;
        int forms;
        int scripts;

        Reader(String pageBackground) {
            looks.push(new Look(false, false, "#000000", pageBackground));
        }

        @Override
        public void head(Node node, int depth) {
            if (node instanceof TextNode text) {
                text(text);
            } else if (node instanceof Element element) {
                enter(element);
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (node instanceof Element element) {
                looks.pop();
                if (BREAKS.contains(element.normalName()) || element.isBlock()) {
                    visible.append('\n');
                }
            }
        }

        private void text(TextNode node) {
            Look look = looks.peek();
            if (look.skipped) {
                return;
            }
            String text = node.getWholeText();
            int chars = countVisibleChars(text);
            boolean hidden = look.hidden || (look.color.equals(look.background) && !look.color.equals(UNKNOWN));
            if (hidden) {
                hiddenChars += chars;
            } else {
                visibleChars += chars;
                visible.append(text);
            }
        }

        private void enter(Element element) {
            Look parent = looks.peek();
            String tag = element.normalName();
            for (Attribute attribute : element.attributes()) {
                if (attribute.getKey().regionMatches(true, 0, "on", 0, 2)) {
                    scripts++;
                }
            }
            switch (tag) {
                case "script" -> scripts++;
                case "form" -> forms++;
                case "img" -> images += element.attr("src").isBlank() ? 0 : 1;
                case "a", "area" -> link(element);
                case "br" -> visible.append('\n');
                default -> {
                }
            }
            String styleText = element.attr("style");
            Map<String, String> style = styleText.isEmpty() ? Map.of() : declarations(styleText);
            boolean skipped = parent.skipped || NOT_SHOWN.contains(tag);
            boolean hidden = parent.hidden || element.hasAttr("hidden") || hides(style);
            String color = parent.color;
            String background = parent.background;
            String fontColor = tag.equals("font") ? element.attr("color") : "";
            String ownColor = firstNonEmpty(style.get("color"), fontColor);
            if (!ownColor.isEmpty()) {
                color = normalizeColor(ownColor);
            }
            String ownBackground = firstNonEmpty(style.get("background-color"), style.get("background"),
                element.attr("bgcolor"));
            if (!ownBackground.isEmpty()) {
                background = normalizeColor(ownBackground);
            }
            if (style.containsKey("background-image") || styleText.contains("url(")
                || element.hasAttr("background")) {
                background = UNKNOWN; // text over a picture: its colours tell nothing
            }
            looks.push(new Look(skipped, hidden, color, background));
        }

        private void link(Element element) {
            String href = element.attr("href").strip();
            if (!href.isEmpty() && links.size() < MessageParser.LINK_LIMIT) {
                links.add(new ParsedMessage.Link(href, element.text().strip()));
            }
        }
    }

    private static boolean hides(Map<String, String> style) {
        if (style.isEmpty()) {
            return false;
        }
        return "none".equals(style.get("display")) || "hidden".equals(style.get("visibility"))
            || zero(style.getOrDefault("opacity", "")) || "all".equals(style.get("mso-hide"))
            || tinyFont(style.getOrDefault("font-size", ""))
            || (zero(style.getOrDefault("max-height", "")) && "hidden".equals(style.get("overflow")));
    }

    private static boolean tinyFont(String size) {
        return zero(size) || size.equals("1px") || size.equals("1pt");
    }

    /** "0", "0px", "0.0em", "0%"… */
    private static boolean zero(String value) {
        if (value.isEmpty() || value.charAt(0) != '0') {
            return false;
        }
        int i = 0;
        while (i < value.length() && (value.charAt(i) == '0' || value.charAt(i) == '.')) {
            i++;
        }
        String unit = value.substring(i);
        return unit.isEmpty() || unit.equals("px") || unit.equals("pt") || unit.equals("em") || unit.equals("rem")
            || unit.equals("%");
    }

    /** An inline style's declarations, property → value, lower case, the last one of a property winning. */
    static Map<String, String> declarations(String style) {
        Map<String, String> map = new HashMap<>();
        int start = 0;
        String s = style.toLowerCase(Locale.ROOT);
        while (start < s.length()) {
            int end = s.indexOf(';', start);
            if (end < 0) {
                end = s.length();
            }
            int colon = s.indexOf(':', start);
            if (colon > start && colon < end) {
                String value = s.substring(colon + 1, end).replace("!important", "").strip();
                map.put(s.substring(start, colon).strip(), value);
            }
            start = end + 1;
        }
        return map;
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return "";
    }

    /** "#fff", "#FFFFFF", "white", "rgb(255,255,255)" all become "#ffffff"; anything else unknown but itself. */
    static String normalizeColor(String value) {
        String v = value.toLowerCase(Locale.ROOT).strip();
        int space = v.indexOf(' ');
        if (space > 0 && !v.startsWith("rgb")) {
            v = v.substring(0, space); // "background: #000 url(...)" was handled; "#000 no-repeat" keeps the colour
        }
        String hex = v.startsWith("#") ? v.substring(1) : v;
        if (hex.length() == 3 && isHex(hex)) {
            return "#" + hex.charAt(0) + hex.charAt(0) + hex.charAt(1) + hex.charAt(1) + hex.charAt(2) + hex.charAt(2);
        }
        if (hex.length() == 6 && isHex(hex)) {
            return "#" + hex;
        }
        if (v.startsWith("rgb(")) {
            String[] parts = v.substring(4).replace(")", "").split(",");
            if (parts.length == 3) {
                try {
                    return String.format("#%02x%02x%02x", Integer.parseInt(parts[0].strip()),
                        Integer.parseInt(parts[1].strip()), Integer.parseInt(parts[2].strip()));
                } catch (NumberFormatException e) {
                    return UNKNOWN;
                }
            }
        }
        return switch (v) {
            case "white" -> "#ffffff";
            case "black" -> "#000000";
            case "transparent", "inherit", "initial", "none", "currentcolor" -> UNKNOWN;
            default -> v;
        };
    }

    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Characters a reader could see: not white space, not the zero-width and invisible marks preheaders pad with. */
    static int countVisibleChars(String text) {
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 128) {
                count += c > ' ' ? 1 : 0;
            } else if (!Character.isWhitespace(c) && !Character.isSpaceChar(c) && !invisible(c)) {
                count++;
            }
        }
        return count;
    }

    static boolean invisible(char c) {
        return c == '\u200B' || c == '\u200C' || c == '\u200D' || c == '\u2060' || c == '\uFEFF' || c == '\u00AD'
            || c == '\u034F';
    }

    /** Runs of white space become one space, or one line break when they held one. */
    static String normalizeSpace(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean inSpace = false;
        boolean newline = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00A0') {
                inSpace = true;
                newline |= c == '\n';
                continue;
            }
            if (inSpace && !out.isEmpty()) {
                out.append(newline ? '\n' : ' ');
            }
            inSpace = false;
            newline = false;
            out.append(c);
        }
        return out.toString();
    }
}

package org.osprey.filter.spam.rules;

import java.util.Map;
import org.osprey.filter.Findings;
import org.osprey.filter.mail.ParsedMessage;

/**
 * What the HTML looks like: a picture with next to no text (the text is in the picture, out of reach of text
 * filters); a lot of hidden text, more than the visible (words stuffed in to confuse statistical filters; a
 * newsletter's hidden preview line is short); forms and scripts, which mail programs do not run and phishing uses;
 * HTML without a plain text alternative.
 */
final class HtmlRule implements Rule {
    /** Fewer visible characters than this beside a picture: a short reply with a logo in its signature has more. */
    static final int IMAGE_ONLY_TEXT = 50;
    static final int HIDDEN_TEXT = 200;

    @Override
    public Map<String, Double> scores() {
        return Map.of("HTML_IMAGE_ONLY", 1.2, "HTML_HIDDEN_TEXT", 1.0, "HTML_FORM", 0.5, "HTML_SCRIPT", 0.5,
            "MIME_HTML_ONLY", 0.3);
    }

    @Override
    public void evaluate(RuleContext context, Findings findings) {
        ParsedMessage message = context.message();
        ParsedMessage.HtmlSummary html = message.html();
        if (html.parts() == 0) {
            return;
        }
        int plainText = message.textParts().stream().filter(p -> !p.html())
            .mapToInt(p -> p.text().strip().length()).sum();
        if (html.images() > 0 && html.visibleText() < IMAGE_ONLY_TEXT && plainText < 2 * IMAGE_ONLY_TEXT) {
            findings.add("HTML_IMAGE_ONLY", html.images() + " images, " + html.visibleText() + " characters of text");
        }
        if (html.hiddenText() >= HIDDEN_TEXT && html.hiddenText() > html.visibleText()) {
            findings.add("HTML_HIDDEN_TEXT", html.hiddenText() + " hidden characters, " + html.visibleText()
                + " visible");
        }
        if (html.forms() > 0) {
            findings.add("HTML_FORM", html.forms() + " forms");
        }
        if (html.scripts() > 0) {
            findings.add("HTML_SCRIPT", html.scripts() + " scripts");
        }
        if (message.textParts().stream().noneMatch(p -> !p.html() && !p.text().isBlank())) {
            findings.add("MIME_HTML_ONLY", "no plain text part");
        }
    }
}

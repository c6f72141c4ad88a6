package org.osprey.filter.spam.rules;

import java.util.Map;
import org.osprey.filter.Findings;
import org.osprey.filter.mail.ParsedMessage;

/**
 * How the text is written rather than what it says: whole lines in capitals (the shouting of sales copy) and a
 * message full of dollar figures.
 */
final class TextStyleRule implements Rule {
    /** Lines in capitals before the text counts as shouting: a heading or two is normal. */
    static final int SHOUTED_LINES = 3;
    /** Letters a line needs to count as shouted: "FYI", "PS" and short headings do not. */
    static final int SHOUTED_LINE_LETTERS = 20;
    static final int DOLLAR_AMOUNTS = 5;

    @Override
    public Map<String, Double> scores() {
        return Map.of("BODY_SHOUTING", 1.0, "BODY_DOLLAR_AMOUNTS", 0.5);
    }

    @Override
    public void evaluate(RuleContext context, Findings findings) {
        // counted in the plain and the HTML parts apart: the two renderings of one text count once
        int[] shoutedIn = new int[2];
        int[] dollarsIn = new int[2];
        for (ParsedMessage.TextPart part : context.message().textParts()) {
            int kind = part.html() ? 1 : 0;
            shoutedIn[kind] += shoutedLines(part.text());
            dollarsIn[kind] += dollarAmounts(part.text());
        }
        int shouted = Math.max(shoutedIn[0], shoutedIn[1]);
        int dollars = Math.max(dollarsIn[0], dollarsIn[1]);
        if (shouted >= SHOUTED_LINES) {
            findings.add("BODY_SHOUTING", shouted + " lines in capitals");
        }
        if (dollars >= DOLLAR_AMOUNTS) {
            findings.add("BODY_DOLLAR_AMOUNTS", dollars + " dollar amounts");
        }
    }

    static int shoutedLines(String text) {
        int count = 0;
        int upper = 0;
        boolean lower = false;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '\n';
            if (c == '\n') {
                if (!lower && upper >= SHOUTED_LINE_LETTERS) {
                    count++;
                }
                upper = 0;
                lower = false;
            } else if (Character.isUpperCase(c)) {
                upper++;
            } else if (Character.isLowerCase(c)) {
                lower = true;
            }
        }
        return count;
    }

    static int dollarAmounts(String text) {
        int count = 0;
        for (int i = text.indexOf('$'); i >= 0 && i + 1 < text.length(); i = text.indexOf('$', i + 1)) {
            char next = text.charAt(i + 1) == ' ' && i + 2 < text.length() ? text.charAt(i + 2) : text.charAt(i + 1);
            if (Character.isDigit(next)) {
                count++;
            }
        }
        return count;
    }
}

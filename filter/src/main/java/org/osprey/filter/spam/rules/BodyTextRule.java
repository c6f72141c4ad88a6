package org.osprey.filter.spam.rules;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.osprey.filter.Findings;
import org.osprey.filter.mail.ParsedMessage;

/**
 * The text a reader sees: several obfuscated words (see {@link Obfuscation}; one alone can be a typo or a product
 * name), and a message with nothing to read or see at all.
 */
final class BodyTextRule implements Rule {
    static final int OBFUSCATED_WORDS = 3;

    @Override
    public Map<String, Double> scores() {
        return Map.of("OBFUSCATED_WORDS", 1.0, "EMPTY_MESSAGE", 0.8);
    }

    @Override
    public void evaluate(RuleContext context, Findings findings) {
        ParsedMessage message = context.message();
        Set<String> obfuscated = new LinkedHashSet<>();
        boolean text = false;
        for (ParsedMessage.TextPart part : message.textParts()) {
            obfuscated.addAll(Obfuscation.words(part.text()));
            text |= !part.text().isBlank();
        }
        if (obfuscated.size() >= OBFUSCATED_WORDS) {
            findings.add("OBFUSCATED_WORDS", obfuscated.size() + " obfuscated words, e.g. "
                + String.join(" ", obfuscated.stream().limit(3).toList()));
        }
        if (!text && message.attachments().isEmpty() && message.html().images() == 0 && !message.truncated()) {
            findings.add("EMPTY_MESSAGE", "no text and no attachment");
        }
    }
}

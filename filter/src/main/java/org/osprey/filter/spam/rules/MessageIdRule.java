package org.osprey.filter.spam.rules;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.osprey.filter.Findings;

/** The Message-ID field (RFC 5322 §3.6.4): every mail program writes one as {@code <left@right>}. */
final class MessageIdRule implements Rule {
    private static final Pattern MSG_ID = Pattern.compile("<[^<>@\\s]+@[^<>@\\s]+>");

    @Override
    public Map<String, Double> scores() {
        return Map.of("MISSING_MID", 0.5, "INVALID_MID", 0.8);
    }

    @Override
    public void evaluate(RuleContext context, Findings findings) {
        Optional<String> value = context.message().header().value("Message-ID");
        if (value.isEmpty()) {
            findings.add("MISSING_MID", "no Message-ID field");
        } else if (!MSG_ID.matcher(value.get().strip()).matches()) {
            findings.add("INVALID_MID", "Message-ID is not <left@right>");
        }
    }
}

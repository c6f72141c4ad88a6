package org.osprey.filter.spam.rules;

import java.util.Map;
import org.osprey.filter.Findings;
import org.osprey.filter.mail.MessageHeader;

/** The fields a mail program always writes: From with an address, a Subject, and a To or Cc. */
final class RequiredHeadersRule implements Rule {
    @Override
    public Map<String, Double> scores() {
        return Map.of("MISSING_FROM", 1.5, "FROM_NO_ADDRESS", 1.2, "MISSING_SUBJECT", 0.5, "MISSING_TO", 0.5);
    }

    @Override
    public void evaluate(RuleContext context, Findings findings) {
        MessageHeader header = context.message().header();
        if (header.value("From").isEmpty()) {
            findings.add("MISSING_FROM", "no From field");
        } else if (!Addresses.first(header.value("From").get()).valid()) {
            findings.add("FROM_NO_ADDRESS", "From has no usable address");
        }
        if (header.value("Subject").isEmpty()) {
            findings.add("MISSING_SUBJECT", "no Subject field");
        }
        if (header.value("To").isEmpty() && header.value("Cc").isEmpty()) {
            findings.add("MISSING_TO", "neither To nor Cc");
        }
    }
}

package org.osprey.filter.spam.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.osprey.filter.Findings;

/**
 * The Date field (RFC 5322 §3.6.1, required): missing, not a date, or far from when the message arrived. Senders
 * that make up dates put them in the future to sort on top, or reuse old templates; mail legitimately queued for
 * a while stays within the margins.
 */
final class DateRule implements Rule {
    static final Duration FUTURE = Duration.ofHours(12);
    static final Duration PAST = Duration.ofDays(4);

    @Override
    public Map<String, Double> scores() {
        return Map.of("MISSING_DATE", 1.0, "INVALID_DATE", 1.2, "DATE_IN_FUTURE", 1.5, "DATE_IN_PAST", 0.8);
    }

    @Override
    public void evaluate(RuleContext context, Findings findings) {
        Optional<String> value = context.message().header().value("Date");
        if (value.isEmpty()) {
            findings.add("MISSING_DATE", "no Date field");
            return;
        }
        Optional<Instant> date = MailDates.parse(value.get());
        if (date.isEmpty()) {
            findings.add("INVALID_DATE", "Date is not an RFC 5322 date");
            return;
        }
        Optional<Instant> arrival = MailDates.arrival(context.message().header());
        if (arrival.isEmpty()) {
            return;
        }
        Duration ahead = Duration.between(arrival.get(), date.get());
        if (ahead.compareTo(FUTURE) > 0) {
            findings.add("DATE_IN_FUTURE", "Date " + ahead.toHours() + " h after arrival");
        } else if (ahead.negated().compareTo(PAST) > 0) {
            findings.add("DATE_IN_PAST", "Date " + ahead.negated().toHours() + " h before arrival");
        }
    }
}

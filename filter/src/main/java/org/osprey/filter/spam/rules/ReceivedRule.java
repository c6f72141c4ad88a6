package org.osprey.filter.spam.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osprey.filter.Findings;
import org.osprey.filter.mail.HeaderField;

/**
 * Received lines (RFC 5321 §4.4) that cannot be true. Each server adds its line on top, so below our own (the
 * first) every line was written by someone before us: one claiming to be by our host was forged by the sender;
 * an IPv4 literal with an octet over 255, or a date more than a day after the message reached the newest server,
 * is made up. A date part that does not parse is a sloppy or fake writer.
 */
final class ReceivedRule implements Rule {
    private static final Pattern BY = Pattern.compile("(?i)\\bby\\s+([^\\s;()]+)");
    private static final Pattern LITERAL = Pattern.compile("\\[(?:IPv4:)?(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\]");
    private static final Pattern BAD_OCTET = Pattern.compile("\\b(?:25[6-9]|2[6-9]\\d|[3-9]\\d\\d)\\b");
    static final Duration SKEW = Duration.ofDays(1);

    @Override
    public Map<String, Double> scores() {
        return Map.of("FORGED_RECEIVED_OURS", 1.0, "RCVD_BAD_IP", 1.5, "RCVD_IN_FUTURE", 1.0, "RCVD_BAD_DATE", 0.3);
    }

    @Override
    public void evaluate(RuleContext context, Findings findings) {
        List<HeaderField> received = context.message().header().all("Received");
        if (received.isEmpty()) {
            return;
        }
        String ours = context.receivedBy().toLowerCase(Locale.ROOT);
        Optional<Instant> arrival = MailDates.arrival(context.message().header());
        boolean forged = false;
        boolean badIp = false;
        boolean future = false;
        boolean badDate = false;
        for (int i = 0; i < received.size(); i++) {
            String value = received.get(i).value();
            if (i > 0 && !ours.isEmpty()) {
                Matcher by = BY.matcher(value);
                forged |= by.find() && by.group(1).toLowerCase(Locale.ROOT).replaceAll("\\.$", "").equals(ours);
            }
            Matcher literal = LITERAL.matcher(value);
            while (literal.find()) {
                badIp |= BAD_OCTET.matcher(literal.group()).find();
            }
            int semicolon = value.lastIndexOf(';');
            if (semicolon >= 0) {
                Optional<Instant> date = MailDates.received(value);
                badDate |= date.isEmpty();
                future |= date.isPresent() && arrival.isPresent()
                    && Duration.between(arrival.get(), date.get()).compareTo(SKEW) > 0;
            }
        }
        if (forged) {
            findings.add("FORGED_RECEIVED_OURS", "a Received line below ours claims to be by " + ours);
        }
        if (badIp) {
            findings.add("RCVD_BAD_IP", "a Received line names an impossible IPv4 address");
        }
        if (future) {
            findings.add("RCVD_IN_FUTURE", "a Received line is dated after the message arrived");
        }
        if (badDate) {
            findings.add("RCVD_BAD_DATE", "a Received line has no valid date");
        }
    }
}

package org.osprey.filter.spam;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.osprey.core.metrics.Metrics;
import org.osprey.filter.Findings;
import org.osprey.filter.InboundChecks;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.Verdict;
import org.osprey.filter.mail.HeaderField;
import org.osprey.filter.mail.ParsedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spam score in the SMTP dialogue, after the network checks: X-Spam-* fields that came with the message are
 * removed (a sender must not file its mail, or anybody's, by forging them), the score's headers are added
 * (X-Spam-Flag: YES at the tag level, which the global Sieve rule files into Junk), and at the reject level the
 * message is refused with 550 5.7.1, so the sender learns of it. Logged-in users are not scored. Only the first
 * {@link #MAX_SCANNED} bytes are read; a bigger message is scored on its beginning.
 */
public final class SpamCheck implements InboundChecks {
    public static final long MAX_SCANNED = 512 * 1024;
    private static final Logger log = LoggerFactory.getLogger(SpamCheck.class);

    private final SpamFilter filter;

    public SpamCheck(SpamFilter filter) {
        this.filter = filter;
    }

    @Override
    public boolean weighsFindings() {
        return true;
    }

    @Override
    public Verdict data(SmtpFacts facts, String sender, List<String> recipients, MessageAccess message,
                        Findings findings) {
        if (facts.authenticatedUser().isPresent()) {
            return Verdict.ACCEPT;
        }
        ParsedMessage parsed;
        try (InputStream in = message.open()) {
            parsed = ParsedMessage.parse(in, MAX_SCANNED);
        } catch (IOException e) {
            log.warn("spam check: cannot read the message from <{}>: {}", sender, e.toString());
            return Verdict.ACCEPT;
        }
        Set<Integer> forged = new HashSet<>();
        for (HeaderField field : parsed.header().fields()) {
            if (field.lowerName().startsWith("x-spam-")) {
                forged.add(field.position());
            }
        }
        SpamReport report = filter.score(facts, sender, recipients, parsed, findings);
        String result = report.isRejected() ? "reject" : report.isSpam() ? "spam" : "ham";
        Metrics.count("osprey_spam_verdicts_total", "result", result);
        log.info("spam check: client={}, from=<{}>, score={}, result={}, tests={}",
                facts.client().getHostAddress(), sender, SpamReport.format(report.score()), result,
                report.hits().stream().map(SpamReport.Hit::test).sorted().toList());
        if (report.isRejected()) {
            return new Verdict.Reject(550, "5.7.1", "Message refused as spam (score "
                    + SpamReport.format(report.score()) + ", limit " + SpamReport.format(report.rejectLevel()) + ")");
        }
        return new Verdict.Accept(report.headers(), forged);
    }
}

package org.osprey.filter.external;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.osprey.filter.Findings;
import org.osprey.filter.InboundChecks;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SpamAssassin's opinion as one more finding for Osprey's spam score ({@code [filter.spamd] address}). At the end of
 * DATA the message goes to spamd and its verdict becomes the finding {@code SPAMD} carrying spamd's own score,
 * which Osprey adds to its sum as it is (a message spamd scores 6 gets 6 more points here), with the detail
 * {@code spamd: <score>/<required> <RULE,RULE,...>}.
 *
 * <p>The check never refuses mail and adds no header: the spam score decides and writes the X-Spam-* fields. It is
 * optional, so it fails open: when spamd is down, slow or answers nonsense the message goes on without the finding,
 * the failure is counted and logged at most once a minute ({@link FailureLog}). Messages larger than the size limit
 * (default {@value #DEFAULT_MAX_SIZE} bytes, as spamc's {@code -s}) are not sent, and mail from authenticated users
 * (submission) is not scanned. With exactly one recipient spamd is told the user ({@code User:}), so per-user
 * preferences apply; with several it scans under its default user.
 */
public final class SpamdCheck implements InboundChecks {
    private static final Logger log = LoggerFactory.getLogger(SpamdCheck.class);
    public static final int DEFAULT_MAX_SIZE = 512 * 1024;
    public static final String FINDING = "SPAMD";

    private final SpamdClient client;
    private final int maxSize;
    private final FailureLog failures = new FailureLog("spamd");

    public SpamdCheck(SpamdClient client, int maxSize) {
        this.client = client;
        this.maxSize = maxSize;
    }

    public SpamdCheck(SpamdClient client) {
        this(client, DEFAULT_MAX_SIZE);
    }

    @Override
    public Verdict data(SmtpFacts facts, String sender, List<String> recipients, MessageAccess message,
                        Findings findings) {
        if (facts.authenticatedUser().isPresent()) {
            return Verdict.ACCEPT;
        }
        byte[] content;
        try (InputStream in = message.open()) {
            // The protocol needs the length first, and spamd reads the whole message anyway: hold it, bounded.
            content = in.readNBytes(maxSize + 1);
        } catch (IOException e) {
            failures.failed("cannot read the message: " + e.getMessage());
            return Verdict.ACCEPT;
        }
        if (content.length > maxSize) {
            log.info("message over the spamd size limit of {} bytes, not sent to spamd", maxSize);
            return Verdict.ACCEPT;
        }
        Optional<String> user = recipients.size() == 1 ? Optional.of(recipients.getFirst()) : Optional.empty();
        try {
            SpamdReport report = client.check(content, user);
            findings.addScored(FINDING, report.score(), detail(report));
        } catch (ScannerException e) {
            failures.failed(e.getMessage());
        }
        return Verdict.ACCEPT;
    }

    static String detail(SpamdReport report) {
        return String.format(Locale.ROOT, "spamd: %.1f/%.1f %s", report.score(), report.required(),
                report.symbols().isEmpty() ? "none" : String.join(",", report.symbols()));
    }
}

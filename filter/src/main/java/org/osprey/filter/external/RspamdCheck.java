package org.osprey.filter.external;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.osprey.filter.Findings;
import org.osprey.filter.InboundChecks;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.Verdict;

/**
 * rspamd's opinion as one more finding for Osprey's spam score ({@code [filter.rspamd] url}). At the end of DATA the
 * message and its SMTP facts go to rspamd, and its verdict becomes the finding {@code RSPAMD} carrying rspamd's own
 * score, which Osprey adds to its sum as it is, with the detail
 * {@code rspamd: <action> <score>/<required> <SYMBOL,SYMBOL,...>} (the weightiest symbols first).
 *
 * <p>rspamd's recommended action is reported, not obeyed: the check never refuses mail and adds no header, Osprey's
 * spam score decides. It is optional, so it fails open: when rspamd is down, slow or answers nonsense the message goes
 * on without the finding, the failure is counted and logged at most once a minute ({@link FailureLog}). Mail from
 * authenticated users (submission) is not scanned. The client's verified host name is looked up first
 * ({@link ClientName}): rspamd scores a client it is not told a name for as one without reverse DNS.
 */
public final class RspamdCheck implements InboundChecks {
    public static final String FINDING = "RSPAMD";
    /** rspamd reports dozens of informational symbols; the detail keeps the weightiest. */
    private static final int MAX_SYMBOLS = 30;

    private final RspamdClient client;
    private final String hostname;
    private final ClientName clientName;
    private final FailureLog failures = new FailureLog("rspamd");

    /**
     * @param hostname our own host name, told to rspamd as the MTA's name
     * @param clientName finds the client's verified host name, which rspamd's reverse-DNS rules need
     */
    public RspamdCheck(RspamdClient client, String hostname, ClientName clientName) {
        this.client = client;
        this.hostname = hostname;
        this.clientName = clientName;
    }

    @Override
    public Verdict data(SmtpFacts facts, String sender, List<String> recipients, MessageAccess message,
                        Findings findings) {
        if (facts.authenticatedUser().isPresent()) {
            return Verdict.ACCEPT;
        }
        var envelope = new RspamdClient.Envelope(facts.client(), clientName.of(facts.client()), facts.helo(), sender,
                recipients, facts.authenticatedUser(), hostname);
        try {
            RspamdReport report = client.check(message, envelope);
            findings.addScored(FINDING, report.score(), detail(report));
        } catch (ScannerException e) {
            failures.failed(e.getMessage());
        }
        return Verdict.ACCEPT;
    }

    static String detail(RspamdReport report) {
        String symbols = report.symbols().entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, Double> s) -> -Math.abs(s.getValue()))
                        .thenComparing(Map.Entry::getKey))
                .limit(MAX_SYMBOLS)
                .map(Map.Entry::getKey)
                .collect(Collectors.joining(","));
        return String.format(Locale.ROOT, "rspamd: %s %.2f/%.2f %s", report.action(), report.score(),
                report.required(), symbols.isEmpty() ? "none" : symbols);
    }
}

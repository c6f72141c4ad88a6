package org.osprey.filter;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.osprey.filter.clamav.ClamavCheck;

/**
 * Virus scanning at the end of DATA, before the final reply: an infected message is refused with 554 5.7.1 and the
 * signature's name (the sender learns why; nothing is silently dropped), a scanner failure is a 451 or, if the
 * admin chose so, an accept with an X-Virus-Scan header. Runs for submissions too: our users' mail is scanned
 * on its way out, as AMaViS does for originating mail.
 */
public final class VirusScan implements InboundChecks {
    /** What a clean message carries, as AMaViS marks it; Sieve's virustest reads it (RFC 5235: 1, clean). */
    public static final String SCANNED_HEADER = "X-Virus-Scanned: clamav";
    private static final Verdict SCANNED = new Verdict.Accept(List.of(SCANNED_HEADER));
    private final ClamavCheck check;

    public VirusScan(ClamavCheck check) {
        this.check = check;
    }

    @Override
    public Verdict data(SmtpFacts facts, String sender, List<String> recipients, MessageAccess message,
                        Findings findings) {
        ClamavCheck.Decision decision;
        try (InputStream in = message.open()) {
            decision = check.check(in);
        } catch (IOException e) {
            return new Verdict.TempFail(451, "4.3.0", "Error: cannot read the message for the virus scan");
        }
        return switch (decision) {
            case ClamavCheck.Decision.Accept a -> SCANNED;
            case ClamavCheck.Decision.Reject r -> new Verdict.Reject(r.code(), r.enhancedCode(), r.text());
            case ClamavCheck.Decision.TempFail t -> new Verdict.TempFail(t.code(), t.enhancedCode(), t.text());
            case ClamavCheck.Decision.AcceptWithHeader h -> new Verdict.Accept(List.of(h.header()));
        };
    }

    @Override
    public boolean mustFinish() {
        return true;
    }
}

package org.osprey.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Several checks as one: at each stage of the dialogue they run in the order given, the first refusal (reject or
 * tempfail) is the answer, and the headers of the checks that accepted are all added. An empty pipeline accepts
 * everything.
 */
public final class CheckPipeline implements InboundChecks {
    private final List<InboundChecks> checks;

    public CheckPipeline(List<InboundChecks> checks) {
        this.checks = List.copyOf(checks);
    }

    /** One check as it is, several as a pipeline, none as {@link InboundChecks#NONE}. */
    public static InboundChecks of(List<InboundChecks> checks) {
        return checks.isEmpty() ? NONE : checks.size() == 1 ? checks.getFirst() : new CheckPipeline(checks);
    }

    @Override
    public Verdict connect(SmtpFacts facts) {
        return run(check -> check.connect(facts));
    }

    @Override
    public Verdict helo(SmtpFacts facts) {
        return run(check -> check.helo(facts));
    }

    @Override
    public Verdict mail(SmtpFacts facts, String sender) {
        return run(check -> check.mail(facts, sender));
    }

    @Override
    public Verdict rcpt(SmtpFacts facts, String sender, String recipient) {
        return run(check -> check.rcpt(facts, sender, recipient));
    }

    @Override
    public Verdict data(SmtpFacts facts, String sender, List<String> recipients, MessageAccess message) {
        return run(check -> check.data(facts, sender, recipients, message));
    }

    private Verdict run(Function<InboundChecks, Verdict> stage) {
        List<String> headers = new ArrayList<>();
        for (InboundChecks check : checks) {
            Verdict verdict = stage.apply(check);
            if (!(verdict instanceof Verdict.Accept accept)) {
                return verdict;
            }
            headers.addAll(accept.headers());
        }
        return headers.isEmpty() ? Verdict.ACCEPT : new Verdict.Accept(List.copyOf(headers));
    }
}

package org.osprey.filter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.osprey.core.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several checks as one. At each stage of the dialogue the first refusal (reject or tempfail), in the order the
 * checks were given, is the answer, and the headers and removed fields of the checks that accepted all add up. At
 * the end of DATA the checks that wait on the network run at the same time, within one time budget for them all;
 * then the checks that weigh their findings (the spam score) run. A check still running when the budget is spent
 * is left behind: the message is refused for now if that check {@linkplain InboundChecks#mustFinish() must finish},
 * otherwise it goes on without that check's answer. Every refusal is logged with its reason, and every decision is
 * counted ({@code osprey_filter_decisions_total{stage,result}}).
 */
public final class CheckPipeline implements InboundChecks {
    private static final Logger log = LoggerFactory.getLogger(CheckPipeline.class);
    /** Checks run here so that one over the budget can be left behind without holding the SMTP reply. */
    private static final ExecutorService WORKERS = Executors.newVirtualThreadPerTaskExecutor();

    private final List<InboundChecks> checks;
    private final Duration budget;

    public CheckPipeline(List<InboundChecks> checks, Duration budget) {
        this.checks = List.copyOf(checks);
        this.budget = budget;
    }

    /** The checks with the default budget of 60 seconds for the DATA stage (Postfix waits 600 s for the reply). */
    public static InboundChecks of(List<InboundChecks> checks) {
        return of(checks, Duration.ofSeconds(60));
    }

    public static InboundChecks of(List<InboundChecks> checks, Duration budget) {
        return checks.isEmpty() ? NONE : new CheckPipeline(checks, budget);
    }

    @Override
    public Verdict connect(SmtpFacts facts) {
        return counted("connect", facts, run(check -> check.connect(facts)));
    }

    @Override
    public Verdict helo(SmtpFacts facts) {
        return counted("helo", facts, run(check -> check.helo(facts)));
    }

    @Override
    public Verdict mail(SmtpFacts facts, String sender) {
        return counted("mail", facts, run(check -> check.mail(facts, sender)));
    }

    @Override
    public Verdict rcpt(SmtpFacts facts, String sender, String recipient) {
        return counted("rcpt", facts, run(check -> check.rcpt(facts, sender, recipient)));
    }

    @Override
    public Verdict data(SmtpFacts facts, String sender, List<String> recipients, MessageAccess message,
                        Findings findings) {
        List<InboundChecks> first = checks.stream().filter(c -> !c.weighsFindings()).toList();
        List<InboundChecks> last = checks.stream().filter(InboundChecks::weighsFindings).toList();
        Verdict verdict = concurrently(first, check -> check.data(facts, sender, recipients, message, findings));
        if (verdict instanceof Verdict.Accept accepted && !last.isEmpty()) {
            Verdict weighed = run(last, check -> check.data(facts, sender, recipients, message, findings));
            verdict = weighed instanceof Verdict.Accept more ? merge(List.of(accepted, more)) : weighed;
        }
        return counted("data", facts, verdict);
    }

    private Verdict concurrently(List<InboundChecks> group, Function<InboundChecks, Verdict> stage) {
        if (group.isEmpty()) {
            return Verdict.ACCEPT;
        }
        List<Future<Verdict>> running = new ArrayList<>();
        for (InboundChecks check : group) {
            running.add(WORKERS.submit(() -> stage.apply(check)));
        }
        long deadline = System.nanoTime() + budget.toNanos();
        List<Verdict> answers = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            InboundChecks check = group.get(i);
            Future<Verdict> answer = running.get(i);
            try {
                answers.add(answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                answer.cancel(true);
                log.warn("content check {} took longer than the budget of {} s{}", name(check), budget.toSeconds(),
                        check.mustFinish() ? "; the message is refused for now" : "; going on without it");
                if (check.mustFinish()) {
                    answers.add(new Verdict.TempFail(451, "4.7.1", "Error: content checks timed out, try again later"));
                }
            } catch (ExecutionException e) {
                log.error("content check {} failed", name(check), e.getCause());
                answers.add(check.mustFinish()
                        ? new Verdict.TempFail(451, "4.3.0", "Error: content check failed, try again later")
                        : Verdict.ACCEPT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.forEach(f -> f.cancel(true));
                return new Verdict.TempFail(451, "4.3.0", "Error: server shutting down");
            }
        }
        for (Verdict answer : answers) {
            if (!(answer instanceof Verdict.Accept)) {
                running.forEach(f -> f.cancel(true));
                return answer;
            }
        }
        return merge(answers);
    }

    private Verdict run(Function<InboundChecks, Verdict> stage) {
        return run(checks, stage);
    }

    private static Verdict run(List<InboundChecks> group, Function<InboundChecks, Verdict> stage) {
        List<Verdict> answers = new ArrayList<>();
        for (InboundChecks check : group) {
            Verdict verdict = stage.apply(check);
            if (!(verdict instanceof Verdict.Accept)) {
                return verdict;
            }
            answers.add(verdict);
        }
        return merge(answers);
    }

    private static Verdict merge(List<Verdict> accepted) {
        List<String> headers = new ArrayList<>();
        Set<Integer> removed = new HashSet<>();
        for (Verdict verdict : accepted) {
            if (verdict instanceof Verdict.Accept a) {
                headers.addAll(a.headers());
                removed.addAll(a.removedFields());
            }
        }
        return headers.isEmpty() && removed.isEmpty() ? Verdict.ACCEPT : new Verdict.Accept(headers, removed);
    }

    private static Verdict counted(String stage, SmtpFacts facts, Verdict verdict) {
        String result = switch (verdict) {
            case Verdict.Accept a -> "accept";
            case Verdict.Reject r -> "reject";
            case Verdict.TempFail t -> "tempfail";
        };
        Metrics.count("osprey_filter_decisions_total", "stage", stage, "result", result);
        switch (verdict) {
            case Verdict.Reject r -> log.info("content checks at {}: client={}: reject {} {} {}", stage,
                    facts.client().getHostAddress(), r.code(), r.enhancedCode(), r.text());
            case Verdict.TempFail t -> log.info("content checks at {}: client={}: tempfail {} {} {}", stage,
                    facts.client().getHostAddress(), t.code(), t.enhancedCode(), t.text());
            case Verdict.Accept a -> {
            }
        }
        return verdict;
    }

    private static String name(InboundChecks check) {
        return check.getClass().getSimpleName();
    }
}

package org.osprey.filter.spf;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osprey.filter.Findings;
import org.osprey.filter.InboundChecks;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.Verdict;
import org.osprey.filter.greylist.Cidr;

/**
 * SPF in the pipeline, for now as information: at the end of DATA the MAIL FROM (or HELO) identity is checked and
 * the result recorded in a Received-SPF header (RFC 7208 §9.1), for the spam score and DMARC to come. Nothing is
 * refused on SPF alone yet. The whole check has a time budget, so a slow or unreachable DNS cannot hold the SMTP
 * reply for the sum of its query timeouts; over budget the result is temperror. Logged-in users and trusted
 * networks (the local machine) are not checked.
 */
public final class SpfCheck implements InboundChecks {
    private final SpfEvaluator evaluator;
    private final Duration budget;
    private final List<Cidr> trusted;
    /** Checks run here so that one over its budget can be left behind without holding the SMTP reply. */
    private final java.util.concurrent.ExecutorService executor =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    public SpfCheck(SpfEvaluator evaluator, Duration budget, List<Cidr> trusted) {
        this.evaluator = evaluator;
        this.budget = budget;
        this.trusted = List.copyOf(trusted);
    }

    @Override
    public Verdict data(SmtpFacts facts, String sender, List<String> recipients, MessageAccess message,
                        Findings findings) {
        InetAddress client = facts.client();
        if (facts.authenticatedUser().isPresent() || trusted.stream().anyMatch(n -> n.contains(client))) {
            return Verdict.ACCEPT;
        }
        String helo = facts.helo().orElse("");
        return new Verdict.Accept(List.of(evaluate(client, sender, helo)));
    }

    private String evaluate(InetAddress client, String sender, String helo) {
        Future<SpfResult> result = executor.submit(() -> evaluator.check(client, sender, helo));
        String problem;
        try {
            return result.get(budget.toMillis(), TimeUnit.MILLISECONDS).receivedSpf(evaluator.receiver());
        } catch (TimeoutException e) {
            result.cancel(true);
            problem = "SPF check took longer than " + budget.toMillis() + " ms";
        } catch (ExecutionException e) {
            problem = "internal error";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        }
        return "Received-SPF: temperror (" + evaluator.receiver() + ": " + problem + ") client-ip="
                + client.getHostAddress() + ";";
    }
}

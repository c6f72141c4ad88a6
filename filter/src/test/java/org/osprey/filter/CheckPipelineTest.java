package org.osprey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.osprey.core.metrics.Metrics;

/**
 * The pipeline: order, the first refusal wins, headers of the accepting checks add up; at DATA the network checks
 * run at the same time within a budget and the checks that weigh findings run after them.
 */
class CheckPipelineTest {
    private final SmtpFacts facts = new SmtpFacts(InetAddress.getLoopbackAddress(), Optional.of("client.example"),
            false, Optional.empty());
    private final List<String> ran = new ArrayList<>();

    private InboundChecks check(String name, Verdict atRcpt) {
        return new InboundChecks() {
            @Override
            public Verdict rcpt(SmtpFacts f, String sender, String recipient) {
                ran.add(name);
                return atRcpt;
            }
        };
    }

    @Test
    void theFirstRefusalWinsAndLaterChecksDoNotRun() {
        var pipeline = CheckPipeline.of(List.of(
                check("a", new Verdict.Accept(List.of("X-A: 1"))),
                check("b", new Verdict.TempFail(451, "4.7.1", "later")),
                check("c", new Verdict.Reject(554, "5.7.1", "never"))));
        assertThat(pipeline.rcpt(facts, "s@example.net", "r@example.org"))
                .isEqualTo(new Verdict.TempFail(451, "4.7.1", "later"));
        assertThat(ran).containsExactly("a", "b");
    }

    @Test
    void headersOfAcceptingChecksAreAllKeptAndOtherStagesAccept() {
        var pipeline = CheckPipeline.of(List.of(check("a", new Verdict.Accept(List.of("X-A: 1"))),
                check("b", Verdict.ACCEPT), check("c", new Verdict.Accept(List.of("X-C: 3")))));
        assertThat(pipeline.rcpt(facts, "s@example.net", "r@example.org"))
                .isEqualTo(new Verdict.Accept(List.of("X-A: 1", "X-C: 3")));
        assertThat(pipeline.connect(facts)).isEqualTo(Verdict.ACCEPT);
        assertThat(CheckPipeline.of(List.of())).isSameAs(InboundChecks.NONE);
    }

    private interface DataStage {
        Verdict answer(Findings findings) throws Exception;
    }

    private static InboundChecks atData(DataStage stage, boolean weighs, boolean mustFinish) {
        return new InboundChecks() {
            @Override
            public Verdict data(SmtpFacts f, String sender, List<String> recipients, MessageAccess message,
                                Findings findings) {
                try {
                    return stage.answer(findings);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public boolean weighsFindings() {
                return weighs;
            }

            @Override
            public boolean mustFinish() {
                return mustFinish;
            }
        };
    }

    private Verdict data(InboundChecks pipeline) {
        return pipeline.data(facts, "s@example.net", List.of("r@example.org"), () -> null, new Findings());
    }

    @Test
    void networkChecksRunAtTheSameTimeAndTheScoreWeighsWhatTheyFound() {
        // each of the two waits for the other: only concurrent runs finish
        CountDownLatch both = new CountDownLatch(2);
        DataStage meet = findings -> {
            both.countDown();
            assertThat(both.await(5, TimeUnit.SECONDS)).isTrue();
            findings.add("MET_" + Thread.currentThread().threadId(), "");
            return new Verdict.Accept(List.of("X-Met: yes"), Set.of(3));
        };
        InboundChecks score = atData(findings -> new Verdict.Accept(List.of("X-Found: " + findings.all().size()),
                Set.of(5)), true, false);
        var pipeline = CheckPipeline.of(List.of(score, atData(meet, false, false), atData(meet, false, false)));
        Verdict verdict = data(pipeline);
        assertThat(verdict).isEqualTo(new Verdict.Accept(List.of("X-Met: yes", "X-Met: yes", "X-Found: 2"),
                Set.of(3, 5)));
    }

    @Test
    void aCheckOverTheBudgetIsLeftBehindUnlessItMustFinish() {
        DataStage slow = findings -> {
            Thread.sleep(10_000);
            return Verdict.ACCEPT;
        };
        DataStage quick = findings -> new Verdict.Accept(List.of("X-Quick: 1"));
        long start = System.nanoTime();
        var optional = CheckPipeline.of(List.of(atData(slow, false, false), atData(quick, false, false)),
                Duration.ofMillis(300));
        assertThat(data(optional)).isEqualTo(new Verdict.Accept(List.of("X-Quick: 1")));
        var required = CheckPipeline.of(List.of(atData(slow, false, true), atData(quick, false, false)),
                Duration.ofMillis(300));
        assertThat(data(required)).isInstanceOf(Verdict.TempFail.class)
                .extracting(v -> ((Verdict.TempFail) v).code()).isEqualTo(451);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aRefusalAtDataSkipsTheScoreAndIsCounted() {
        long before = Metrics.snapshot().getOrDefault(
                "osprey_filter_decisions_total{stage=\"data\",result=\"reject\"}", 0L);
        List<String> weighed = new ArrayList<>();
        var pipeline = CheckPipeline.of(List.of(
                atData(findings -> new Verdict.Reject(554, "5.7.1", "Virus found"), false, true),
                atData(findings -> Verdict.ACCEPT, false, false),
                atData(findings -> {
                    weighed.add("score");
                    return Verdict.ACCEPT;
                }, true, false)));
        assertThat(data(pipeline)).isEqualTo(new Verdict.Reject(554, "5.7.1", "Virus found"));
        assertThat(weighed).isEmpty();
        assertThat(Metrics.snapshot()).containsEntry(
                "osprey_filter_decisions_total{stage=\"data\",result=\"reject\"}", before + 1);
    }
}

package org.osprey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pipeline: order, the first refusal wins, headers of the accepting checks add up. */
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
}

package org.osprey.filter.spam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.filter.Findings;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.Verdict;
import org.osprey.filter.mail.ParsedMessage;
import org.osprey.filter.spam.bayes.Bayes;
import org.osprey.filter.spam.bayes.BayesDatabase;
import org.osprey.filter.spam.rules.RuleSet;

/**
 * The spam check in the pipeline: forged X-Spam-* fields removed by position, the score's headers, 550 at the
 * reject level, findings with their own scores and the table's, overrides, Bayes trained on messages.
 */
class SpamCheckTest {
    private static final SmtpFacts CLIENT = new SmtpFacts(InetAddress.getLoopbackAddress(),
            Optional.of("client.example"), false, Optional.empty());

    @TempDir
    Path dir;

    private static SpamFilter filter(Map<String, Double> overrides, Optional<Bayes> bayes) {
        ScoreTable table = new ScoreTable(List.of(RuleSet.defaultScores(), SpamFilter.OWN_SCORES), overrides);
        return new SpamFilter(5.0, 15.0, table, RuleSet.defaults(), bayes, "mx.example.org");
    }

    private static Verdict check(SpamFilter filter, String message, Findings findings) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        return new SpamCheck(filter).data(CLIENT, "alice@example.net", List.of("john@example.org"),
                () -> new ByteArrayInputStream(bytes), findings);
    }

    private static final String PLAIN = "Received: from client.example by mx.example.org\r\n"
            + "From: Alice <alice@example.net>\r\nTo: john@example.org\r\nSubject: lunch\r\n"
            + "Date: Sat, 5 Dec 2026 10:00:00 +0000\r\nMessage-ID: <1@example.net>\r\n";

    @Test
    void forgedSpamHeadersAreRemovedByPositionAndTheScoreIsAdded() {
        Verdict verdict = check(filter(Map.of(), Optional.empty()), PLAIN
                + "X-Spam-Flag: YES\r\nX-Spam-Status: Yes, score=99\r\n\r\nsee you at noon\r\n", new Findings());
        assertThat(verdict).isInstanceOf(Verdict.Accept.class);
        Verdict.Accept accept = (Verdict.Accept) verdict;
        assertThat(accept.removedFields()).isEqualTo(Set.of(6, 7));
        assertThat(accept.headers()).anySatisfy(h -> assertThat(h).startsWith("X-Spam-Status: No, score="))
                .noneSatisfy(h -> assertThat(h).startsWith("X-Spam-Flag"));
    }

    @Test
    void findingsWithTheirOwnScoresAndTableScoresAddUpAndOverridesWin() {
        Findings findings = new Findings();
        findings.addScored("SPAMD", 3.5, "spamd: 3.5/5.0");
        findings.add("DMARC_QUARANTINE", "example.net p=quarantine");
        findings.add("NO_SUCH_TEST", "ignored");
        Verdict verdict = check(filter(Map.of("DMARC_QUARANTINE", 2.0), Optional.empty()),
                PLAIN + "\r\nhello\r\n", findings);
        String status = ((Verdict.Accept) verdict).headers().stream().filter(h -> h.startsWith("X-Spam-Status"))
                .findFirst().orElseThrow();
        assertThat(status).startsWith("X-Spam-Status: Yes, score=5.5 required=5.0 tests=")
                .contains("DMARC_QUARANTINE", "SPAMD").doesNotContain("NO_SUCH_TEST");
        assertThat(((Verdict.Accept) verdict).headers()).contains("X-Spam-Flag: YES");
    }

    @Test
    void gtubeIsRefusedWith550AndLoggedInUsersAreNotScored() {
        SpamFilter filter = filter(Map.of(), Optional.empty());
        String gtube = PLAIN + "\r\n" + SpamFilter.GTUBE + "\r\n";
        assertThat(check(filter, gtube, new Findings())).isInstanceOfSatisfying(Verdict.Reject.class, r -> {
            assertThat(r.code()).isEqualTo(550);
            assertThat(r.enhancedCode()).isEqualTo("5.7.1");
        });
        byte[] bytes = gtube.getBytes(StandardCharsets.UTF_8);
        SmtpFacts loggedIn = new SmtpFacts(CLIENT.client(), CLIENT.helo(), true, Optional.of("john@example.org"));
        assertThat(new SpamCheck(filter).data(loggedIn, "john@example.org", List.of("x@example.net"),
                () -> new ByteArrayInputStream(bytes), new Findings())).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void aTrainedClassifierFlagsSpamAndClearsHamAndAUserDatabaseAddsToTheGlobalOne() throws IOException {
        Bayes bayes = new Bayes(dir);
        Random random = new Random(1);
        List<BayesDatabase.Example> examples = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            boolean spam = i % 2 == 0;
            ParsedMessage message = parse(body(random, spam, i));
            long[] tokens = Bayes.tokens(message);
            examples.add(new BayesDatabase.Example(Bayes.digest(message, tokens), tokens, spam));
        }
        bayes.global().learnAll(examples);
        SpamFilter filter = filter(Map.of(), Optional.of(bayes));
        SpamReport spam = filter.score(CLIENT, "a@example.net", List.of("john@example.org"),
                parse(body(random, true, 1000)), new Findings());
        assertThat(spam.isSpam()).as(spam.explanation()).isTrue();
        assertThat(spam.hits()).extracting(SpamReport.Hit::test).contains("BAYES_999");
        SpamReport ham = filter.score(CLIENT, "a@example.net", List.of("john@example.org"),
                parse(body(random, false, 1001)), new Findings());
        assertThat(ham.isSpam()).as(ham.explanation()).isFalse();
        assertThat(ham.hits()).extracting(SpamReport.Hit::test).contains("BAYES_00");

        // john teaches his own database that the ham words are spam to him; others are not affected
        for (int i = 0; i < 300; i++) {
            ParsedMessage message = parse(body(random, false, 2000 + i));
            long[] tokens = Bayes.tokens(message);
            bayes.user("john@example.org").learn(Bayes.digest(message, tokens), tokens, true);
        }
        ParsedMessage next = parse(body(random, false, 5000));
        assertThat(filter.score(CLIENT, "a@example.net", List.of("john@example.org"), next, new Findings())
                .score()).isGreaterThan(filter.score(CLIENT, "a@example.net", List.of("mary@example.org"), next,
                new Findings()).score());
    }

    private static ParsedMessage parse(String message) {
        try {
            return ParsedMessage.parse(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), 1 << 20);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String body(Random random, boolean spam, int n) {
        String[] own = spam ? "prize winner casino jackpot pills discount bitcoin profit bonus".split(" ")
                : "meeting agenda review budget minutes schedule deadline report slides".split(" ");
        String[] common = "the and for you with this that have from your".split(" ");
        StringBuilder sb = new StringBuilder(PLAIN.replace("<1@", "<" + n + "@")).append("\r\n");
        for (int i = 0; i < 60; i++) {
            sb.append(random.nextInt(3) == 0 ? own[random.nextInt(own.length)] : common[random.nextInt(common.length)])
                    .append(' ');
        }
        return sb.append("\r\n").toString();
    }
}

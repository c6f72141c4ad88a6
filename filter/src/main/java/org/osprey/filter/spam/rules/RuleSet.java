package org.osprey.filter.spam.rules;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osprey.filter.Findings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in spam rules in SpamAssassin's manner: each names what it found (MISSING_DATE, SUBJ_ALL_CAPS,
 * HTML_IMAGE_ONLY, EXE_ATTACHMENT…) and the score table weighs the names ({@link #defaultScores()}, which an admin
 * overrides in {@code [filter.spam.scores]}). Rules are written from the RFCs and general knowledge of spam
 * techniques, never fitted to a corpus; single rules stay small (mostly 0.1–2.5) so that normal mail, which trips
 * a rule or two, stays far below the tag level. A rule that fails on odd input is logged and skipped: the others
 * still run.
 */
public final class RuleSet {
    private static final Logger log = LoggerFactory.getLogger(RuleSet.class);

    private final List<Rule> rules;

    private RuleSet(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Every built-in rule of the message (the client's rules are {@link ClientChecks}). */
    public static RuleSet defaults() {
        return new RuleSet(builtIn());
    }

    static List<Rule> builtIn() {
        return List.of(new DateRule(), new MessageIdRule(), new RequiredHeadersRule(), new FromRule(),
            new ReceivedRule(), new SubjectRule(), new HeaderCharsetRule(), new MimeRule(), new BodyTextRule(),
            new HtmlRule(), new LinkRule(), new AttachmentRule(), new BodyPhraseRule(),
            new TextStyleRule(), new EnvelopeRule());
    }

    /** Runs every rule over the message, adding the names that fire. */
    public void evaluate(RuleContext context, Findings findings) {
        for (Rule rule : rules) {
            try {
                rule.evaluate(context, findings);
            } catch (RuntimeException e) {
                log.warn("spam rule {} failed, skipped: {}", rule.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /**
     * Every test name these rules, {@link ClientChecks} and {@link UriblCheck} can add, with its default score, sorted
     * by name.
     */
    public static Map<String, Double> defaultScores() {
        Map<String, Double> scores = new TreeMap<>();
        for (Rule rule : builtIn()) {
            scores.putAll(rule.scores());
        }
        scores.putAll(ClientChecks.SCORES);
        scores.putAll(UriblCheck.SCORES);
        return scores;
    }
}

package org.osprey.filter.spam;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.osprey.filter.Findings;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.mail.ParsedMessage;
import org.osprey.filter.spam.bayes.Bayes;
import org.osprey.filter.spam.rules.RuleContext;
import org.osprey.filter.spam.rules.RuleSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spam score of a message, as SpamAssassin computes one: the rules fire into the findings (beside what the
 * network checks found before), the classifier's probability becomes one BAYES_nn test, and the score is the sum of
 * the scores of every test that fired — a test's own score if it brought one (an external scanner), else the score
 * table's.
 */
public final class SpamFilter {
    private static final Logger log = LoggerFactory.getLogger(SpamFilter.class);

    /**
     * The classifier's bands, and GTUBE. The bands follow SpamBayes' own cutoffs (a probability of 0.90 or more is
     * spam, 0.20 or less is ham): at 0.90 the classifier alone reaches the tag level, below 0.20 it counts against,
     * and in between it adds less the less sure it is. Stronger than SpamAssassin's (its BAYES_99 is 3.5) because
     * here the classifier is the main judge and no network rule set backs it up.
     */
    public static final Map<String, Double> OWN_SCORES = Map.ofEntries(
            Map.entry("BAYES_00", -2.5), Map.entry("BAYES_05", -1.5), Map.entry("BAYES_20", -1.0),
            Map.entry("BAYES_40", 0.0), Map.entry("BAYES_50", 0.8), Map.entry("BAYES_60", 1.5),
            Map.entry("BAYES_80", 3.0), Map.entry("BAYES_90", 5.0), Map.entry("BAYES_95", 5.0),
            Map.entry("BAYES_99", 5.0), Map.entry("BAYES_999", 5.5), Map.entry("GTUBE", 1000.0));

    /**
     * The Generic Test for Unsolicited Bulk Email: a message carrying this string is spam by definition, so that
     * admins can test the whole path (SpamAssassin and rspamd know it too).
     */
    static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    private final double tagLevel;
    private final double rejectLevel;
    private final ScoreTable scores;
    private final RuleSet rules;
    private final Optional<Bayes> bayes;
    private final String hostname;

    public SpamFilter(double tagLevel, double rejectLevel, ScoreTable scores, RuleSet rules, Optional<Bayes> bayes,
                      String hostname) {
        this.tagLevel = tagLevel;
        this.rejectLevel = rejectLevel;
        this.scores = scores;
        this.rules = rules;
        this.bayes = bayes;
        this.hostname = hostname;
    }

    /** Scores a parsed message; {@code findings} holds what other checks found and receives what rules find. */
    public SpamReport score(SmtpFacts facts, String sender, List<String> recipients, ParsedMessage message,
                            Findings findings) {
        try {
            rules.evaluate(new RuleContext(facts, sender, recipients, message, hostname), findings);
        } catch (RuntimeException e) {
            log.error("spam rules failed on a message from <{}>; scoring without them", sender, e);
        }
        for (ParsedMessage.TextPart part : message.textParts()) {
            if (part.text().contains(GTUBE)) {
                findings.add("GTUBE", "the GTUBE test string");
                break;
            }
        }
        if (bayes.isPresent()) {
            classify(bayes.get(), recipients.size() == 1 ? Optional.of(recipients.getFirst()) : Optional.empty(),
                    message, findings);
        }
        return report(findings);
    }

    private void classify(Bayes classifier, Optional<String> user, ParsedMessage message, Findings findings) {
        try {
            OptionalDouble p = classifier.probability(user, Bayes.tokens(message));
            if (p.isPresent()) {
                findings.add(band(p.getAsDouble()), String.format(java.util.Locale.ROOT,
                        "Bayes spam probability %.4f", p.getAsDouble()));
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Bayes database unreadable, scoring without it: {}", e.toString());
        }
    }

    /** SpamAssassin's band names for a probability. */
    static String band(double p) {
        if (p < 0.01) {
            return "BAYES_00";
        } else if (p < 0.05) {
            return "BAYES_05";
        } else if (p < 0.20) {
            return "BAYES_20";
        } else if (p < 0.40) {
            return "BAYES_40";
        } else if (p < 0.60) {
            return "BAYES_50";
        } else if (p < 0.80) {
            return "BAYES_60";
        } else if (p < 0.90) {
            return "BAYES_80";
        } else if (p < 0.95) {
            return "BAYES_90";
        } else if (p < 0.99) {
            return "BAYES_95";
        } else if (p < 0.999) {
            return "BAYES_99";
        }
        return "BAYES_999";
    }

    private SpamReport report(Findings findings) {
        List<SpamReport.Hit> hits = new ArrayList<>();
        double total = 0;
        java.util.Set<String> counted = new java.util.HashSet<>();
        for (Findings.Finding f : findings.all()) {
            double score;
            if (f.score().isPresent()) {
                score = f.score().getAsDouble();
            } else {
                Optional<Double> fromTable = scores.score(f.test());
                if (fromTable.isEmpty() || !counted.add(f.test())) {
                    continue; // unknown names score nothing; a rule counts once however often it fired
                }
                score = fromTable.get();
            }
            if (score == 0) {
                continue;
            }
            total += score;
            hits.add(new SpamReport.Hit(f.test(), score, f.detail()));
        }
        return new SpamReport(Math.round(total * 1000) / 1000.0, tagLevel, rejectLevel, hits);
    }
}

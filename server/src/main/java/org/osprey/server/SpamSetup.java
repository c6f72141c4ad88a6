package org.osprey.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osprey.core.config.Config;
import org.osprey.filter.auth.SenderAuthentication;
import org.osprey.filter.spam.ScoreTable;
import org.osprey.filter.spam.SpamFilter;
import org.osprey.filter.spam.bayes.Bayes;
import org.osprey.filter.spam.rules.RuleSet;

/**
 * The spam filter as [filter.spam] describes it, for the server and for {@code osprey spam}: the score table (every
 * part's default scores, then the config's overrides), the rules, and the Bayes databases under
 * {@code <data_dir>/bayes}.
 */
final class SpamSetup {
    private SpamSetup() {
    }

    static Path bayesDirectory(Config config) {
        return config.dataDir().resolve("bayes");
    }

    /** Every part's default scores, in the order later ones override earlier ones. */
    static List<Map<String, Double>> defaultScores() {
        List<Map<String, Double>> defaults = new ArrayList<>();
        defaults.add(RuleSet.defaultScores());
        defaults.add(SenderAuthentication.DEFAULT_SCORES);
        defaults.add(SpamFilter.OWN_SCORES);
        return defaults;
    }

    static ScoreTable scores(Config config) {
        return new ScoreTable(defaultScores(), config.filter().spam().scores());
    }

    static SpamFilter filter(Config config, Optional<Bayes> bayes) {
        Config.Spam spam = config.filter().spam();
        return new SpamFilter(spam.tagLevel(), spam.rejectLevel(), scores(config), RuleSet.defaults(), bayes,
                config.hostname());
    }

    static Optional<Bayes> bayes(Config config) throws IOException {
        return config.filter().spam().bayes() ? Optional.of(openBayes(config)) : Optional.empty();
    }

    /** The Bayes databases with the configured size limit, whether or not scoring uses them (the learn command). */
    static Bayes openBayes(Config config) throws IOException {
        return new Bayes(bayesDirectory(config), config.filter().spam().bayesMaxTokens());
    }
}

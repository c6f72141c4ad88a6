package org.osprey.filter.spam;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The score of every named test: the defaults of each part that finds things (rules, Bayes, sender
 * authentication...), then the admin's overrides from {@code [filter.spam.scores]}. A score of 0 turns a test off.
 */
public final class ScoreTable {
    private final Map<String, Double> scores;

    public ScoreTable(List<Map<String, Double>> defaults, Map<String, Double> overrides) {
        Map<String, Double> all = new HashMap<>();
        defaults.forEach(all::putAll);
        all.putAll(overrides);
        this.scores = Map.copyOf(all);
    }

    /** The score of a test, empty for a name nothing defines (a typo in the config, say). */
    public Optional<Double> score(String test) {
        return Optional.ofNullable(scores.get(test));
    }

    /** Every known test name with its score. */
    public Map<String, Double> all() {
        return scores;
    }
}

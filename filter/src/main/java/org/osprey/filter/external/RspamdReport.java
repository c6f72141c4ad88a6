package org.osprey.filter.external;

import java.util.Map;

/**
 * What rspamd said about one message: its score, the score its configuration rejects at ({@code required_score}),
 * the action it recommends ({@code no action}, {@code greylist}, {@code add header}, {@code rewrite subject},
 * {@code soft reject}, {@code reject}) and the symbols that fired with their scores.
 */
public record RspamdReport(double score, double required, String action, Map<String, Double> symbols) {
    public RspamdReport {
        symbols = Map.copyOf(symbols);
    }
}

package org.osprey.filter.external;

import java.util.List;

/**
 * What spamd said about one message: its score, the score its configuration calls spam ({@code required_score}),
 * whether it is spam by that measure, and the names of the rules that fired (e.g. GTUBE, MISSING_DATE).
 */
public record SpamdReport(double score, double required, boolean spam, List<String> symbols) {
    public SpamdReport {
        symbols = List.copyOf(symbols);
    }
}

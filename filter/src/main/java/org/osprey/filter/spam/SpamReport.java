package org.osprey.filter.spam;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The spam score of a message with every test that counted, and the headers that say so. Scores are printed with
 * one decimal as SpamAssassin does; the flag is set at or above the tag level.
 */
public record SpamReport(double score, double tagLevel, double rejectLevel, List<Hit> hits) {
    /** A test that fired, with the score it added and what it saw. */
    public record Hit(String test, double score, String detail) {
    }

    public SpamReport {
        hits = List.copyOf(hits);
    }

    public boolean isSpam() {
        return score >= tagLevel;
    }

    public boolean isRejected() {
        return score >= rejectLevel;
    }

    /** The header lines (without line endings) a scored message gets. */
    public List<String> headers() {
        String scoreText = format(score);
        String tests = hits.stream().map(Hit::test).sorted().collect(Collectors.joining(","));
        String status = "X-Spam-Status: " + (isSpam() ? "Yes" : "No") + ", score=" + scoreText + " required="
                + format(tagLevel) + " tests=" + (tests.isEmpty() ? "none" : shortened(tests));
        String level = "*".repeat((int) Math.max(0, Math.min(50, Math.floor(score))));
        return isSpam()
                ? List.of("X-Spam-Flag: YES", "X-Spam-Score: " + scoreText, "X-Spam-Level: " + level, status)
                : List.of("X-Spam-Score: " + scoreText, "X-Spam-Level: " + level, status);
    }

    /** Every test with its score and detail, one per line, highest score first: what "osprey spam score" prints. */
    public String explanation() {
        StringBuilder sb = new StringBuilder();
        sb.append("score ").append(format(score)).append(" (tag level ").append(format(tagLevel))
                .append(", reject level ").append(format(rejectLevel)).append("): ")
                .append(isRejected() ? "rejected" : isSpam() ? "spam" : "not spam").append('\n');
        hits.stream().sorted((a, b) -> Double.compare(b.score(), a.score())).forEach(hit ->
                sb.append(String.format(Locale.ROOT, "%7.3f %-24s %s%n", hit.score(), hit.test(), hit.detail())));
        return sb.toString();
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /**
     * The test list stays on one line (header lines added at delivery are not folded) and under RFC 5322's 998
     * bytes: a list longer than 900 characters is cut after a comma with ",...".
     */
    private static String shortened(String tests) {
        if (tests.length() <= 900) {
            return tests;
        }
        return tests.substring(0, tests.lastIndexOf(',', 900)) + ",...";
    }
}

package org.osprey.filter.spam.bayes;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The spam probability of a message from its tokens, in the Robinson/Fisher manner of SpamBayes and SpamAssassin:
 * each token's spam probability from its counts, pulled towards 0.5 when it was seen rarely (Robinson's f(w) with
 * strength s = 0.45, x = 0.5); only tokens at least 0.1 away from 0.5 count, the 150 strongest of them; their
 * probabilities are combined by Fisher's chi-square method into S (spamminess) and H (hamminess), and the result is
 * (1 + S − H) / 2. No answer until each class has at least {@link #MIN_MESSAGES} messages learned (SpamAssassin's
 * bayes_min_spam_num/bayes_min_ham_num are 200; fewer makes for wild guesses).
 */
public final class Classifier {
    public static final int MIN_MESSAGES = 200;
    private static final double STRENGTH = 0.45;
    private static final double UNKNOWN = 0.5;
    private static final double MIN_DISTANCE = 0.1;
    private static final int MAX_TOKENS_USED = 150;

    private Classifier() {
    }

    /** The probability (0 ham … 1 spam) from the counts summed over the databases given, or empty if untrained. */
    public static OptionalDouble probability(List<BayesDatabase> databases, long[] tokens) {
        long spamMessages = 0;
        long hamMessages = 0;
        int[] spam = new int[tokens.length];
        int[] ham = new int[tokens.length];
        for (BayesDatabase db : databases) {
            spamMessages += db.spamMessages();
            hamMessages += db.hamMessages();
            db.addCounts(tokens, spam, ham);
        }
        if (spamMessages < MIN_MESSAGES || hamMessages < MIN_MESSAGES) {
            return OptionalDouble.empty();
        }
        double[] probabilities = new double[tokens.length];
        int used = 0;
        for (int i = 0; i < tokens.length; i++) {
            int n = spam[i] + ham[i];
            if (n == 0) {
                continue;
            }
            double spamRatio = spam[i] / (double) spamMessages;
            double hamRatio = ham[i] / (double) hamMessages;
            double p = spamRatio / (spamRatio + hamRatio);
            double f = (STRENGTH * UNKNOWN + n * p) / (STRENGTH + n);
            if (Math.abs(f - 0.5) >= MIN_DISTANCE) {
                probabilities[used++] = f;
            }
        }
        if (used == 0) {
            return OptionalDouble.of(0.5);
        }
        double[] strongest = strongest(probabilities, used);
        double spamLog = 0;
        double hamLog = 0;
        for (double f : strongest) {
            f = Math.min(0.99999, Math.max(0.00001, f));
            hamLog += Math.log(f);
            spamLog += Math.log(1 - f);
        }
        double h = 1 - chiSquareQ(-2 * hamLog, 2 * strongest.length);
        double s = 1 - chiSquareQ(-2 * spamLog, 2 * strongest.length);
        return OptionalDouble.of((1 + s - h) / 2);
    }

    /** The {@link #MAX_TOKENS_USED} probabilities farthest from 0.5. */
    private static double[] strongest(double[] probabilities, int used) {
        if (used <= MAX_TOKENS_USED) {
            return Arrays.copyOf(probabilities, used);
        }
        double[] distances = new double[used];
        for (int i = 0; i < used; i++) {
            distances[i] = Math.abs(probabilities[i] - 0.5);
        }
        Arrays.sort(distances);
        double threshold = distances[used - MAX_TOKENS_USED];
        double[] top = new double[MAX_TOKENS_USED];
        int n = 0;
        for (int i = 0; i < used && n < MAX_TOKENS_USED; i++) {
            if (Math.abs(probabilities[i] - 0.5) > threshold) {
                top[n++] = probabilities[i];
            }
        }
        for (int i = 0; i < used && n < MAX_TOKENS_USED; i++) {
            if (Math.abs(probabilities[i] - 0.5) == threshold) {
                top[n++] = probabilities[i];
            }
        }
        return top;
    }

    /** P(chi² ≥ x) with an even number of degrees of freedom v (the series Fisher's method needs). */
    static double chiSquareQ(double x, int v) {
        double m = x / 2;
        double term = Math.exp(-m);
        double sum = term;
        for (int i = 1; i < v / 2; i++) {
            term *= m / i;
            sum += term;
        }
        return Math.min(sum, 1.0);
    }
}

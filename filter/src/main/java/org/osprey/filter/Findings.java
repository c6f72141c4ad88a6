package org.osprey.filter;

import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the checks at the end of DATA found out about one message, for the spam score to weigh: named tests in
 * SpamAssassin's manner (SPF_FAIL, DKIM_VALID, DMARC_QUARANTINE, SPAMD…), each either with a score of its own (an
 * external scanner's verdict) or scored by the rule table under its name. Thread-safe: the checks that wait on the
 * network run at the same time.
 */
public final class Findings {
    private final List<Finding> found = new CopyOnWriteArrayList<>();

    /** A test that fired; {@code score} empty means "as the rule table scores this name". */
    public record Finding(String test, OptionalDouble score, String detail) {
    }

    /** A test scored by the rule table (and the admin's overrides). */
    public void add(String test, String detail) {
        found.add(new Finding(test, OptionalDouble.empty(), detail));
    }

    /** A test that brings its own score, e.g. the score an external scanner gave. */
    public void addScored(String test, double score, String detail) {
        found.add(new Finding(test, OptionalDouble.of(score), detail));
    }

    public List<Finding> all() {
        return List.copyOf(found);
    }

    public boolean has(String test) {
        return found.stream().anyMatch(f -> f.test().equals(test));
    }
}

package org.osprey.filter.spam.rules;

import java.util.Map;
import org.osprey.filter.Findings;

/** One rule (or a few closely related ones): the test names it may add, with their default scores, and the test. */
interface Rule {
    /** Every name this rule may add, with its default score. */
    Map<String, Double> scores();

    /** Adds the names that fire to {@code findings}, each at most once. */
    void evaluate(RuleContext context, Findings findings);
}

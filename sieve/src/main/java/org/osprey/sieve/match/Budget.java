package org.osprey.sieve.match;

/**
 * The time an evaluation may still take. Loops that depend on message size (wildcard matching, regular expressions,
 * reading bodies) call {@link #tick()} as they go; past the deadline it throws {@link Exhausted}, which the
 * interpreter turns into a runtime error (and so into a keep). Not thread-safe: one per evaluation.
 */
public final class Budget {
    private final long deadline;
    private int steps;

    private Budget(long deadline) {
        this.deadline = deadline;
    }

    /** A budget ending {@code nanos} from now. */
    public static Budget ofNanos(long nanos) {
        return new Budget(System.nanoTime() + nanos);
    }

    public static Budget unlimited() {
        return new Budget(Long.MAX_VALUE);
    }

    /** Counts one step; every 1,024 steps, checks the clock. */
    public void tick() {
        if ((++steps & 1023) == 0) {
            check();
        }
    }

    /** Checks the clock now. */
    public void check() {
        if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) {
            throw new Exhausted();
        }
    }

    /** The budget ran out. */
    public static final class Exhausted extends RuntimeException {
        Exhausted() {
            super("the script ran out of time", null, false, false);
        }
    }
}

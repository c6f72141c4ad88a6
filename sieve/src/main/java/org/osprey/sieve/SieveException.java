package org.osprey.sieve;

/**
 * A script that cannot run: a syntax error, an unknown command or test, a missing {@code require}, an argument of
 * the wrong type. It carries where in the script the problem is, so the message reads
 * {@code line 3, column 5: unknown test "hedaer"}; {@link #detail()} is the text without the position.
 */
public final class SieveException extends Exception {
    private final int line;
    private final int column;
    private final String detail;

    public SieveException(int line, int column, String detail) {
        super("line " + line + ", column " + column + ": " + detail);
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    /** The 1-based line of the script where the problem starts. */
    public int line() {
        return line;
    }

    /** The 1-based column (in characters) where the problem starts. */
    public int column() {
        return column;
    }

    /** What is wrong, without the position. */
    public String detail() {
        return detail;
    }
}

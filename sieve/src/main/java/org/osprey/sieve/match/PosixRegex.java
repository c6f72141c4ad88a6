package org.osprey.sieve.match;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Translates a POSIX extended regular expression (the {@code :regex} match type of draft-ietf-sieve-regex §3) into
 * a {@link Pattern}. Supported: literals, ".", bracket expressions with ranges, negation and the [:class:], [=c=]
 * and [.c.] forms, "^", "$", "|", groups, "*", "+", "?" and {n}, {n,}, {n,m} intervals, and a backslash before a
 * character to take it literally. Not POSIX, and refused as the draft asks: a quantifier without an operand, two
 * quantifiers in a row (Java would read them as lazy or possessive), back-references and Java's own constructs.
 * A backslash inside a bracket expression is literal, as in POSIX. With i;ascii-casemap, ASCII letters match
 * regardless of case.
 */
public final class PosixRegex {
    private PosixRegex() {
    }

    /** Compiles {@code ere}; an expression outside the supported syntax is an IllegalArgumentException. */
    public static Pattern compile(String ere, Comparator comparator) {
        String java = translate(ere);
        try {
            return Pattern.compile(java, comparator == Comparator.ASCII_CASEMAP ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression \"" + ere + "\": " + e.getDescription());
        }
    }

    static String translate(String ere) {
        var out = new StringBuilder(ere.length() + 16);
        boolean operand = false; // whether the previous element can take a quantifier
        int open = 0;
        int i = 0;
        while (i < ere.length()) {
            char c = ere.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 >= ere.length()) {
                        throw bad(ere, "a backslash at the end");
                    }
                    char next = ere.charAt(i + 1);
                    if (Character.isLetterOrDigit(next)) {
                        // \d, \w, \1 ... are not POSIX: the draft leaves them undefined; refuse rather than guess
                        throw bad(ere, "\\" + next + " is not a POSIX regular expression");
                    }
                    literal(out, next);
                    operand = true;
                    i += 2;
                    continue;
                }
                case '[' -> {
                    i = bracket(ere, i, out);
                    operand = true;
                    continue;
                }
                case '(' -> {
                    out.append('(');
                    open++;
                    operand = false;
                }
                case ')' -> {
                    if (open == 0) {
                        throw bad(ere, "unbalanced ')'");
                    }
                    open--;
                    out.append(')');
                    operand = true;
                }
                case '|' -> {
                    out.append('|');
                    operand = false;
                }
                case '^', '$' -> {
                    out.append(c);
                    operand = false;
                }
                case '.' -> {
                    out.append('.');
                    operand = true;
                }
                case '*', '+', '?' -> {
                    if (!operand) {
                        throw bad(ere, "'" + c + "' has nothing to repeat");
                    }
                    out.append(c);
                    operand = false;
                }
                case '{' -> {
                    int close = ere.indexOf('}', i);
                    String interval = close < 0 ? null : ere.substring(i + 1, close);
                    if (interval != null && interval.matches("[0-9]{1,4}(,[0-9]{0,4})?")) {
                        if (!operand) {
                            throw bad(ere, "an interval has nothing to repeat");
                        }
                        out.append('{').append(interval).append('}');
                        operand = false;
                        i = close + 1;
                        continue;
                    }
                    literal(out, c);
                    operand = true;
                }
                default -> {
                    literal(out, c);
                    operand = true;
                }
            }
            i++;
        }
        if (open != 0) {
            throw bad(ere, "unbalanced '('");
        }
        return out.toString();
    }

    /** Translates the bracket expression starting at {@code start}; returns the index after its "]". */
    private static int bracket(String ere, int start, StringBuilder out) {
        int i = start + 1;
        var set = new StringBuilder("[");
        if (i < ere.length() && ere.charAt(i) == '^') {
            set.append('^');
            i++;
        }
        boolean first = true;
        while (true) {
            if (i >= ere.length()) {
                throw bad(ere, "unterminated bracket expression");
            }
            char c = ere.charAt(i);
            if (c == ']' && !first) {
                break;
            }
            first = false;
            if (c == '[' && i + 1 < ere.length() && ":=.".indexOf(ere.charAt(i + 1)) >= 0) {
                char kind = ere.charAt(i + 1);
                int close = ere.indexOf(kind + "]", i + 2);
                if (close < 0) {
                    throw bad(ere, "unterminated [" + kind + " in a bracket expression");
                }
                String name = ere.substring(i + 2, close);
                if (kind == ':') {
                    set.append(characterClass(ere, name));
                } else if (name.length() == 1) {
                    literal(set, name.charAt(0));
                } else {
                    throw bad(ere, "[" + kind + name + kind + "] names no single character");
                }
                i = close + 2;
                continue;
            }
            if (i + 2 < ere.length() && ere.charAt(i + 1) == '-' && ere.charAt(i + 2) != ']') {
                char to = ere.charAt(i + 2);
                if (to < c) {
                    throw bad(ere, "range " + c + "-" + to + " is backwards");
                }
                literal(set, c);
                set.append('-');
                literal(set, to);
                i += 3;
                continue;
            }
            literal(set, c);
            i++;
        }
        out.append(set).append(']');
        return i + 1;
    }

    private static String characterClass(String ere, String name) {
        return switch (name) {
            case "alnum" -> "\\p{Alnum}";
            case "alpha" -> "\\p{Alpha}";
            case "blank" -> "\\p{Blank}";
            case "cntrl" -> "\\p{Cntrl}";
            case "digit" -> "\\p{Digit}";
            case "graph" -> "\\p{Graph}";
            case "lower" -> "\\p{Lower}";
            case "print" -> "\\p{Print}";
            case "punct" -> "\\p{Punct}";
            case "space" -> "\\p{Space}";
            case "upper" -> "\\p{Upper}";
            case "xdigit" -> "\\p{XDigit}";
            default -> throw bad(ere, "unknown character class [:" + name + ":]");
        };
    }

    private static void literal(StringBuilder out, char c) {
        if (Character.isLetterOrDigit(c) || c > 0x7e) {
            out.append(c);
        } else if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
        } else {
            out.append('\\').append(c);
        }
    }

    private static IllegalArgumentException bad(String ere, String why) {
        return new IllegalArgumentException("invalid regular expression \"" + ere + "\": " + why);
    }
}

package org.osprey.sieve.syntax;

/**
 * One lexical token of RFC 5228 §8.1. Identifiers and tags are lower-cased (they are case-insensitive); {@code text}
 * of a string is its value with escapes resolved and, for multi-line strings, dot-stuffing removed; {@code number}
 * is a number's value with its K/M/G quantifier applied.
 */
public record Token(Kind kind, String text, long number, Position position) {
    public enum Kind {
        IDENTIFIER, TAG, NUMBER, STRING, LEFT_BRACKET, RIGHT_BRACKET, LEFT_PAREN, RIGHT_PAREN, COMMA, SEMICOLON,
        LEFT_BRACE, RIGHT_BRACE, END
    }

    /** How the token is named in an error message. */
    public String describe() {
        return switch (kind) {
            case IDENTIFIER -> "identifier \"" + text + "\"";
            case TAG -> "tag :" + text;
            case NUMBER -> "number " + number;
            case STRING -> "string";
            case LEFT_BRACKET -> "'['";
            case RIGHT_BRACKET -> "']'";
            case LEFT_PAREN -> "'('";
            case RIGHT_PAREN -> "')'";
            case COMMA -> "','";
            case SEMICOLON -> "';'";
            case LEFT_BRACE -> "'{'";
            case RIGHT_BRACE -> "'}'";
            case END -> "end of script";
        };
    }
}

package org.osprey.sieve.syntax;

import java.util.Locale;
import org.osprey.sieve.SieveException;

/**
 * Splits a script into tokens (RFC 5228 §8.1): identifiers, tags, numbers with K/M/G, quoted strings (backslash
 * escapes resolved: {@code \"} and {@code \\} stand for themselves, any other escaped character for itself, §2.4.2),
 * multi-line {@code text:} strings (dot-stuffing removed, lines ending in CRLF), separators; whitespace, hash and
 * bracket comments are skipped. Line ends may be CRLF or a bare LF (scripts edited on Unix). A NUL, an unterminated
 * string or comment, or a character outside the grammar is a {@link SieveException} at its position.
 */
public final class Lexer {
    /** Numbers up to 2^32 (then times at most 2^30): far beyond any size, and no overflow of a long. */
    private static final long MAX_NUMBER = 1L << 32;

    private final String text;
    private int offset;
    private int line = 1;
    private int column = 1;

    public Lexer(String text) {
        this.text = text;
    }

    /** The next token; at the end of the text, a token of kind END (again on every later call). */
    public Token next() throws SieveException {
        skipBlanks();
        Position start = here();
        if (offset >= text.length()) {
            return new Token(Token.Kind.END, "", 0, start);
        }
        char c = text.charAt(offset);
        if (isIdentifierStart(c)) {
            String word = identifier();
            if (word.equals("text") && offset < text.length() && peek() == ':') {
                advance();
                return new Token(Token.Kind.STRING, multiLine(start), 0, start);
            }
            return new Token(Token.Kind.IDENTIFIER, word, 0, start);
        }
        if (c >= '0' && c <= '9') {
            return new Token(Token.Kind.NUMBER, "", number(start), start);
        }
        return switch (c) {
            case ':' -> {
                advance();
                if (offset >= text.length() || !isIdentifierStart(peek())) {
                    throw start.error("a tag needs a name after ':'");
                }
                yield new Token(Token.Kind.TAG, identifier(), 0, start);
            }
            case '"' -> new Token(Token.Kind.STRING, quoted(start), 0, start);
            case '[' -> punctuation(Token.Kind.LEFT_BRACKET, start);
            case ']' -> punctuation(Token.Kind.RIGHT_BRACKET, start);
            case '(' -> punctuation(Token.Kind.LEFT_PAREN, start);
            case ')' -> punctuation(Token.Kind.RIGHT_PAREN, start);
            case ',' -> punctuation(Token.Kind.COMMA, start);
            case ';' -> punctuation(Token.Kind.SEMICOLON, start);
            case '{' -> punctuation(Token.Kind.LEFT_BRACE, start);
            case '}' -> punctuation(Token.Kind.RIGHT_BRACE, start);
            case '\0' -> throw start.error("NUL character in script");
            default -> throw start.error("unexpected character " + printable(c));
        };
    }

    private Token punctuation(Token.Kind kind, Position start) {
        advance();
        return new Token(kind, "", 0, start);
    }

    private void skipBlanks() throws SieveException {
        while (offset < text.length()) {
            char c = text.charAt(offset);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                advance();
            } else if (c == '#') {
                skipToLineEnd();
            } else if (c == '/' && offset + 1 < text.length() && text.charAt(offset + 1) == '*') {
                Position start = here();
                int end = text.indexOf("*/", offset + 2);
                if (end < 0) {
                    throw start.error("unterminated comment (missing */)");
                }
                while (offset < end + 2) {
                    advance();
                }
            } else {
                return;
            }
        }
    }

    private void skipToLineEnd() {
        while (offset < text.length() && text.charAt(offset) != '\n') {
            advance();
        }
        if (offset < text.length()) {
            advance();
        }
    }

    private String identifier() {
        int start = offset;
        while (offset < text.length() && isIdentifierPart(text.charAt(offset))) {
            advance();
        }
        return text.substring(start, offset).toLowerCase(Locale.ROOT);
    }

    private long number(Position start) throws SieveException {
        long value = 0;
        while (offset < text.length() && text.charAt(offset) >= '0' && text.charAt(offset) <= '9') {
            value = value * 10 + (text.charAt(offset) - '0');
            if (value > MAX_NUMBER) {
                throw start.error("number too large");
            }
            advance();
        }
        // RFC 5228 §2.4.1: K, M and G multiply by powers of two
        int shift = switch (offset < text.length() ? Character.toUpperCase(text.charAt(offset)) : ' ') {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
        if (shift > 0) {
            advance();
            value <<= shift;
        }
        if (offset < text.length() && isIdentifierPart(text.charAt(offset))) {
            throw here().error("unexpected " + printable(text.charAt(offset)) + " after a number");
        }
        return value;
    }

    private String quoted(Position start) throws SieveException {
        advance(); // the opening quote
        var value = new StringBuilder();
        while (true) {
            if (offset >= text.length()) {
                throw start.error("unterminated string (missing \")");
            }
            char c = text.charAt(offset);
            if (c == '"') {
                advance();
                return value.toString();
            }
            if (c == '\0') {
                throw here().error("NUL character in string");
            }
            if (c == '\\') {
                advance();
                if (offset >= text.length()) {
                    throw start.error("unterminated string (missing \")");
                }
                c = text.charAt(offset);
                if (c == '\0') {
                    throw here().error("NUL character in string");
                }
            }
            value.append(c);
            advance();
        }
    }

    /** RFC 5228 §2.4.2 and §8.1 multi-line: after "text:" blanks, then a hash comment or a line end. */
    private String multiLine(Position start) throws SieveException {
        while (offset < text.length() && (peek() == ' ' || peek() == '\t')) {
            advance();
        }
        if (offset < text.length() && peek() == '#') {
            skipToLineEnd();
        } else if (offset < text.length() && peek() == '\r' && offset + 1 < text.length()
                && text.charAt(offset + 1) == '\n') {
            advance();
            advance();
        } else if (offset < text.length() && peek() == '\n') {
            advance();
        } else {
            throw here().error("text: must be followed by the end of the line");
        }
        var value = new StringBuilder();
        while (true) {
            if (offset >= text.length()) {
                throw start.error("unterminated multi-line string (missing a line with a single \".\")");
            }
            int end = text.indexOf('\n', offset);
            boolean lastLine = end < 0;
            int lineEnd = lastLine ? text.length() : end;
            int contentEnd = lineEnd > offset && text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
            String content = text.substring(offset, contentEnd);
            int nul = content.indexOf('\0');
            if (nul >= 0) {
                while (nul-- > 0) {
                    advance();
                }
                throw here().error("NUL character in string");
            }
            while (offset < lineEnd) {
                advance();
            }
            if (!lastLine) {
                advance();
            }
            if (content.equals(".")) {
                return value.toString();
            }
            if (lastLine) {
                throw start.error("unterminated multi-line string (missing a line with a single \".\")");
            }
            value.append(content.startsWith("..") ? content.substring(1) : content).append("\r\n");
        }
    }

    private char peek() {
        return text.charAt(offset);
    }

    private void advance() {
        if (text.charAt(offset) == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
        offset++;
    }

    private Position here() {
        return new Position(line, column);
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9');
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}

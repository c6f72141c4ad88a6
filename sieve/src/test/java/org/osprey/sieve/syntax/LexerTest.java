package org.osprey.sieve.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osprey.sieve.SieveException;

class LexerTest {
    private static List<Token> tokens(String text) throws SieveException {
        Lexer lexer = new Lexer(text);
        List<Token> tokens = new ArrayList<>();
        for (Token t = lexer.next(); t.kind() != Token.Kind.END; t = lexer.next()) {
            tokens.add(t);
        }
        return tokens;
    }

    private static List<String> strings(String text) throws SieveException {
        return tokens(text).stream().filter(t -> t.kind() == Token.Kind.STRING).map(Token::text).toList();
    }

    @Test
    void tokensCarryKindValueAndPosition() throws SieveException {
        List<Token> tokens = tokens("IF Size :OVER 100K {\r\n  Keep;\r\n}");
        assertThat(tokens).extracting(Token::kind).containsExactly(Token.Kind.IDENTIFIER, Token.Kind.IDENTIFIER,
                Token.Kind.TAG, Token.Kind.NUMBER, Token.Kind.LEFT_BRACE, Token.Kind.IDENTIFIER,
                Token.Kind.SEMICOLON, Token.Kind.RIGHT_BRACE);
        assertThat(tokens.get(0).text()).isEqualTo("if"); // identifiers and tags are case-insensitive
        assertThat(tokens.get(2).text()).isEqualTo("over");
        assertThat(tokens.get(3).number()).isEqualTo(100 * 1024);
        assertThat(tokens.get(5).position()).isEqualTo(new Position(2, 3));
        assertThat(tokens.get(7).position()).isEqualTo(new Position(3, 1));
    }

    @Test
    void numberQuantifiersArePowersOfTwo() throws SieveException {
        assertThat(tokens("1k 2M 3g 4 0")).extracting(Token::number)
                .containsExactly(1024L, 2L << 20, 3L << 30, 4L, 0L);
    }

    @Test
    void quotedStringEscapes() throws SieveException {
        // RFC 5228 §2.4.2: \" and \\ stand for themselves, any other escaped character for itself
        assertThat(strings("\"a\\\"b\\\\c\\d\\*\"")).containsExactly("a\"b\\cd*");
        // line breaks inside quoted strings are kept as they are
        assertThat(strings("\"one\r\ntwo\"")).containsExactly("one\r\ntwo");
    }

    @Test
    void multiLineStringsAreDotUnstuffed() throws SieveException {
        String script = "text:\r\nline one\r\n..dotted\r\n.not stuffed\r\n\r\n.\r\n";
        assertThat(strings(script)).containsExactly("line one\r\n.dotted\r\n.not stuffed\r\n\r\n");
    }

    @Test
    void multiLineStringsAcceptLfLineEndsAndGiveCrlf() throws SieveException {
        assertThat(strings("TEXT: # a comment\nA\n..\n.\n;")).containsExactly("A\r\n.\r\n");
    }

    @Test
    void emptyMultiLineString() throws SieveException {
        assertThat(strings("text:\r\n.\r\n")).containsExactly("");
        assertThat(strings("text:\n.")).containsExactly(""); // the last line may lack its line end
    }

    @Test
    void identifierTextAtTheEndIsJustAnIdentifier() throws SieveException {
        // found by FuzzTest: "text" as the last characters of a script was read past the end
        assertThat(tokens("keep text")).extracting(Token::text).containsExactly("keep", "text");
    }

    @Test
    void commentsAreWhitespace() throws SieveException {
        List<Token> tokens = tokens("# hash\r\n/* bracket\r\n * comment **/keep/**/;");
        assertThat(tokens).extracting(Token::kind).containsExactly(Token.Kind.IDENTIFIER, Token.Kind.SEMICOLON);
        assertThat(tokens.getFirst().position()).isEqualTo(new Position(3, 15));
    }

    @Test
    void errorsSayWhere() {
        assertError("keep; \"open", 1, 7, "unterminated string (missing \")");
        assertError("/* open", 1, 1, "unterminated comment (missing */)");
        assertError("x\n  text:\nno end\n", 2, 3,
                "unterminated multi-line string (missing a line with a single \".\")");
        assertError("text: x\n.\n", 1, 7, "text: must be followed by the end of the line");
        assertError("keep \0;", 1, 6, "NUL character in script");
        assertError("\"a\0\"", 1, 3, "NUL character in string");
        assertError("text:\nab\0c\n.\n", 2, 3, "NUL character in string");
        assertError(": x", 1, 1, "a tag needs a name after ':'");
        assertError("12x", 1, 3, "unexpected 'x' after a number");
        assertError("99999999999", 1, 1, "number too large");
        assertError("keep $", 1, 6, "unexpected character '$'");
        assertError("keep \u00e9", 1, 6, "unexpected character U+00E9");
    }

    private static void assertError(String text, int line, int column, String detail) {
        assertThatThrownBy(() -> tokens(text)).isInstanceOfSatisfying(SieveException.class, e -> {
            assertThat(e.detail()).isEqualTo(detail);
            assertThat(e.line()).isEqualTo(line);
            assertThat(e.column()).isEqualTo(column);
            assertThat(e.getMessage()).isEqualTo("line " + line + ", column " + column + ": " + detail);
        });
    }
}

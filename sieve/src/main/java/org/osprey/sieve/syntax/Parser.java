package org.osprey.sieve.syntax;

import java.util.ArrayList;
import java.util.List;
import org.osprey.sieve.SieveException;

/**
 * The grammar of RFC 5228 §8.2 over {@link Lexer} tokens: a script is a list of commands, each an identifier,
 * arguments, an optional test or test list, then ";" or a block. It knows no command by name: what a command means
 * is checked later. Blocks and tests nest at most {@link #MAX_NESTING} deep (RFC 5228 §2.10.7 asks for at least
 * 15), so no input can exhaust the stack.
 */
public final class Parser {
    public static final int MAX_NESTING = 64;

    private final Lexer lexer;
    private Token token;
    private int depth;

    private Parser(String text) {
        this.lexer = new Lexer(text);
    }

    public static List<CommandNode> parse(String text) throws SieveException {
        Parser parser = new Parser(text);
        parser.token = parser.lexer.next();
        List<CommandNode> commands = parser.commands();
        if (parser.token.kind() != Token.Kind.END) {
            throw parser.token.position().error("unexpected " + parser.token.describe());
        }
        return commands;
    }

    private List<CommandNode> commands() throws SieveException {
        List<CommandNode> commands = new ArrayList<>();
        while (token.kind() == Token.Kind.IDENTIFIER) {
            commands.add(command());
        }
        return commands;
    }

    private CommandNode command() throws SieveException {
        Token name = token;
        advance();
        List<Argument> arguments = arguments();
        List<TestNode> tests = new ArrayList<>();
        boolean testList = tests(tests);
        if (token.kind() == Token.Kind.SEMICOLON) {
            advance();
            return new CommandNode(name.text(), arguments, tests, testList, null, name.position());
        }
        if (token.kind() == Token.Kind.LEFT_BRACE) {
            Position open = token.position();
            enter(open);
            advance();
            List<CommandNode> block = commands();
            if (token.kind() != Token.Kind.RIGHT_BRACE) {
                throw token.position().error("expected '}' to close the block opened at " + open + ", found "
                        + token.describe());
            }
            advance();
            depth--;
            return new CommandNode(name.text(), arguments, tests, testList, block, name.position());
        }
        throw token.position().error("expected ';' or '{' after command \"" + name.text() + "\", found "
                + token.describe());
    }

    /** Reads an optional test or parenthesised test list into {@code into}; true when it was a list. */
    private boolean tests(List<TestNode> into) throws SieveException {
        if (token.kind() == Token.Kind.IDENTIFIER) {
            into.add(test());
            return false;
        }
        if (token.kind() != Token.Kind.LEFT_PAREN) {
            return false;
        }
        Position open = token.position();
        enter(open);
        advance();
        while (true) {
            if (token.kind() != Token.Kind.IDENTIFIER) {
                throw token.position().error("expected a test, found " + token.describe());
            }
            into.add(test());
            if (token.kind() == Token.Kind.COMMA) {
                advance();
            } else if (token.kind() == Token.Kind.RIGHT_PAREN) {
                advance();
                depth--;
                return true;
            } else {
                throw token.position().error("expected ',' or ')' in the test list opened at " + open
                        + ", found " + token.describe());
            }
        }
    }

    private TestNode test() throws SieveException {
        Token name = token;
        enter(name.position());
        advance();
        List<Argument> arguments = arguments();
        List<TestNode> tests = new ArrayList<>();
        boolean testList = tests(tests);
        depth--;
        return new TestNode(name.text(), arguments, tests, testList, name.position());
    }

    private List<Argument> arguments() throws SieveException {
        List<Argument> arguments = new ArrayList<>();
        while (true) {
            switch (token.kind()) {
                case TAG -> arguments.add(new Argument.Tag(token.text(), token.position()));
                case NUMBER -> arguments.add(new Argument.Numeric(token.number(), token.position()));
                case STRING -> arguments.add(new Argument.Strings(
                        List.of(new StringLiteral(token.text(), token.position())), false, token.position()));
                case LEFT_BRACKET -> {
                    arguments.add(stringList());
                    continue;
                }
                default -> {
                    return arguments;
                }
            }
            advance();
        }
    }

    private Argument.Strings stringList() throws SieveException {
        Position open = token.position();
        advance();
        List<StringLiteral> values = new ArrayList<>();
        while (true) {
            if (token.kind() != Token.Kind.STRING) {
                throw token.position().error("expected a string in the list opened at " + open + ", found "
                        + token.describe());
            }
            values.add(new StringLiteral(token.text(), token.position()));
            advance();
            if (token.kind() == Token.Kind.COMMA) {
                advance();
            } else if (token.kind() == Token.Kind.RIGHT_BRACKET) {
                advance();
                return new Argument.Strings(values, true, open);
            } else {
                throw token.position().error("expected ',' or ']' in the string list opened at " + open
                        + ", found " + token.describe());
            }
        }
    }

    private void enter(Position at) throws SieveException {
        if (++depth > MAX_NESTING) {
            throw at.error("blocks and tests nested more than " + MAX_NESTING + " deep");
        }
    }

    private void advance() throws SieveException {
        token = lexer.next();
    }
}

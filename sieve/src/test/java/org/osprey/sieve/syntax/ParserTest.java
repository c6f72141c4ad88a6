package org.osprey.sieve.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.osprey.sieve.SieveException;

class ParserTest {
    @Test
    void commandsWithArgumentsTestsAndBlocks() throws SieveException {
        List<CommandNode> script = Parser.parse("""
                require ["fileinto", "copy"];
                if anyof (header :contains ["to", "cc"] "me", not exists "x") {
                    fileinto :copy "A";
                } else { stop; }
                """);
        assertThat(script).extracting(CommandNode::name).containsExactly("require", "if", "else");
        CommandNode require = script.getFirst();
        assertThat(require.block()).isNull();
        assertThat(require.arguments()).singleElement().isInstanceOfSatisfying(Argument.Strings.class, s -> {
            assertThat(s.list()).isTrue();
            assertThat(s.values()).extracting(StringLiteral::value).containsExactly("fileinto", "copy");
        });
        CommandNode conditional = script.get(1);
        assertThat(conditional.testList()).isFalse();
        TestNode anyof = conditional.tests().getFirst();
        assertThat(anyof.testList()).isTrue();
        assertThat(anyof.tests()).extracting(TestNode::name).containsExactly("header", "not");
        TestNode header = anyof.tests().getFirst();
        assertThat(header.arguments()).hasSize(3);
        assertThat(header.arguments().getFirst()).isEqualTo(new Argument.Tag("contains", new Position(2, 18)));
        assertThat(anyof.tests().get(1).tests()).extracting(TestNode::name).containsExactly("exists");
        assertThat(conditional.block()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("fileinto");
            assertThat(c.position()).isEqualTo(new Position(3, 5));
        });
        assertThat(script.get(2).block()).extracting(CommandNode::name).containsExactly("stop");
    }

    @Test
    void emptyScriptAndEmptyBlocks() throws SieveException {
        assertThat(Parser.parse("")).isEmpty();
        assertThat(Parser.parse("  # nothing\r\n")).isEmpty();
        assertThat(Parser.parse("if true {}").getFirst().block()).isEmpty();
    }

    @Test
    void nestingIsLimited() {
        String deep = "if true { ".repeat(Parser.MAX_NESTING + 5) + "}".repeat(Parser.MAX_NESTING + 5);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Parser.parse(deep))
                .isInstanceOf(SieveException.class).hasMessageContaining("nested more than 64 deep");
        String notNot = "if " + "not ".repeat(200) + "true { keep; }";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Parser.parse(notNot))
                .isInstanceOf(SieveException.class).hasMessageContaining("nested more than 64 deep");
    }
}

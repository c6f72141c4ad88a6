package org.osprey.sieve.syntax;

import java.util.List;

/**
 * A command as parsed (RFC 5228 §8.2 {@code command}): lower-cased name, arguments, an optional test or test list,
 * and the block it ends with; {@code block} is null when the command ends with ";".
 */
public record CommandNode(String name, List<Argument> arguments, List<TestNode> tests, boolean testList,
                          List<CommandNode> block, Position position) {
    public CommandNode {
        arguments = List.copyOf(arguments);
        tests = List.copyOf(tests);
        block = block == null ? null : List.copyOf(block);
    }
}

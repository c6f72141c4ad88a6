package org.osprey.sieve.syntax;

import java.util.List;

/**
 * A test as parsed (RFC 5228 §8.2 {@code test}): its lower-cased name, arguments, and the nested test or test list
 * that closes its arguments ({@code testList} true when parenthesised).
 */
public record TestNode(String name, List<Argument> arguments, List<TestNode> tests, boolean testList,
                       Position position) {
    public TestNode {
        arguments = List.copyOf(arguments);
        tests = List.copyOf(tests);
    }
}

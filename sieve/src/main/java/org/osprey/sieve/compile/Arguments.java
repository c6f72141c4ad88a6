package org.osprey.sieve.compile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osprey.sieve.SieveException;
import org.osprey.sieve.program.Capability;
import org.osprey.sieve.syntax.Argument;
import org.osprey.sieve.syntax.Position;

/**
 * The arguments of one command or test, sorted into tagged and positional ones by a table of the tags it accepts
 * (RFC 5228 §2.6): tags come first, in any order, each at most once; tags of one group (the match types, the
 * address parts, ...) exclude each other; a tag may take one parameter of a given kind; a tag of an extension needs
 * that extension required.
 */
final class Arguments {
    /** What follows a tag. */
    enum Param {
        NONE, STRING, STRING_LIST, NUMBER
    }

    /** One accepted tag: its parameter, its group (tags of a group exclude each other), its extension. */
    record Rule(Param param, String group, Set<Capability> needs) {
    }

    private final String owner;
    private final Map<String, Argument> params = new LinkedHashMap<>();
    private final Map<String, Position> positions = new HashMap<>();
    private final Map<String, String> byGroup = new HashMap<>();
    private final List<Argument> positional = new ArrayList<>();

    private Arguments(String owner) {
        this.owner = owner;
    }

    static Arguments read(String owner, List<Argument> arguments, Map<String, Rule> rules,
                          Set<Capability> capabilities) throws SieveException {
        Arguments result = new Arguments(owner);
        for (int i = 0; i < arguments.size(); i++) {
            Argument argument = arguments.get(i);
            if (!(argument instanceof Argument.Tag tag)) {
                result.positional.add(argument);
                continue;
            }
            if (!result.positional.isEmpty()) {
                throw tag.position().error("tag :" + tag.name() + " of " + owner
                        + " must come before its other arguments");
            }
            Rule rule = rules.get(tag.name());
            if (rule == null) {
                throw tag.position().error("unknown tag :" + tag.name() + " for " + owner);
            }
            if (!rule.needs().isEmpty() && rule.needs().stream().noneMatch(capabilities::contains)) {
                throw tag.position().error("tag :" + tag.name() + " of " + owner + " needs require \""
                        + rule.needs().iterator().next().identifier() + "\"");
            }
            if (result.positions.containsKey(tag.name())) {
                throw tag.position().error("tag :" + tag.name() + " given twice");
            }
            if (rule.group() != null) {
                String other = result.byGroup.putIfAbsent(rule.group(), tag.name());
                if (other != null) {
                    throw tag.position().error("tag :" + tag.name() + " conflicts with :" + other + " (only one "
                            + rule.group() + " may be given)");
                }
            }
            Argument param = null;
            if (rule.param() != Param.NONE) {
                param = i + 1 < arguments.size() ? arguments.get(i + 1) : null;
                if (!fits(param, rule.param())) {
                    throw (param == null ? tag.position() : param.position()).error("tag :" + tag.name()
                            + " needs " + describe(rule.param()) + " after it");
                }
                i++;
            }
            result.params.put(tag.name(), param);
            result.positions.put(tag.name(), tag.position());
        }
        return result;
    }

    private static boolean fits(Argument argument, Param param) {
        return switch (param) {
            case NONE -> true;
            case NUMBER -> argument instanceof Argument.Numeric;
            case STRING -> argument instanceof Argument.Strings s && !s.list();
            case STRING_LIST -> argument instanceof Argument.Strings;
        };
    }

    static String describe(Param param) {
        return switch (param) {
            case NONE -> "nothing";
            case NUMBER -> "a number";
            case STRING -> "a string";
            case STRING_LIST -> "a string list";
        };
    }

    boolean has(String tag) {
        return positions.containsKey(tag);
    }

    /** The parameter of a tag that takes one (null when the tag is absent). */
    Argument param(String tag) {
        return params.get(tag);
    }

    Position position(String tag) {
        return positions.get(tag);
    }

    /** The tag given from a group, or null. */
    String inGroup(String group) {
        return byGroup.get(group);
    }

    List<Argument> positional() {
        return positional;
    }

    String owner() {
        return owner;
    }
}

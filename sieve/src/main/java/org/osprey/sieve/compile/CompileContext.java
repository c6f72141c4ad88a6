package org.osprey.sieve.compile;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.osprey.sieve.SieveException;
import org.osprey.sieve.match.Comparator;
import org.osprey.sieve.match.Matcher;
import org.osprey.sieve.match.MatchType;
import org.osprey.sieve.match.Relation;
import org.osprey.sieve.program.Capability;
import org.osprey.sieve.program.MatchSpec;
import org.osprey.sieve.program.Value;
import org.osprey.sieve.program.VariableName;
import org.osprey.sieve.syntax.Argument;
import org.osprey.sieve.syntax.StringLiteral;

/**
 * What the compiler knows while it walks one script: the extensions required so far, the variables declared
 * global and set locally (RFC 6609 §3.4.1), and the conversions of arguments into checked values that commands and
 * tests share.
 */
final class CompileContext {
    final Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
    final Set<String> globals = new HashSet<>();
    final Set<String> setLocally = new HashSet<>();
    private final StringCompiler strings = new StringCompiler(capabilities, globals);

    boolean has(Capability capability) {
        return capabilities.contains(capability);
    }

    Value value(StringLiteral literal) throws SieveException {
        return strings.compile(literal);
    }

    /** A single string (not a bracketed list). */
    Value string(Argument argument, String what) throws SieveException {
        if (argument instanceof Argument.Strings s && !s.list()) {
            return value(s.values().getFirst());
        }
        throw argument.position().error(what + " must be a string, not " + describe(argument));
    }

    /** A single string without variables (RFC 5229 §3 "constant string"). */
    String constant(Argument argument, String what) throws SieveException {
        Value value = string(argument, what);
        if (!value.isConstant()) {
            throw argument.position().error(what + " must be a constant string (no variables)");
        }
        return value.constant();
    }

    List<Value> strings(Argument argument, String what) throws SieveException {
        if (argument instanceof Argument.Strings s) {
            List<Value> values = new ArrayList<>(s.values().size());
            for (StringLiteral literal : s.values()) {
                values.add(value(literal));
            }
            return values;
        }
        throw argument.position().error(what + " must be a string list, not " + describe(argument));
    }

    long number(Argument argument, String what) throws SieveException {
        if (argument instanceof Argument.Numeric n) {
            return n.value();
        }
        throw argument.position().error(what + " must be a number, not " + describe(argument));
    }

    static String describe(Argument argument) {
        return switch (argument) {
            case Argument.Tag t -> "tag :" + t.name();
            case Argument.Numeric n -> "number " + n.value();
            case Argument.Strings s -> s.list() ? "a string list" : "a string";
        };
    }

    /** The comparator, match type and keys of a test (RFC 5228 §2.7, RFC 5231 §4). */
    MatchSpec match(Arguments args, Argument keys, String what) throws SieveException {
        Matcher matcher = matcher(args);
        List<MatchSpec.KeyValue> prepared = new ArrayList<>();
        if (!(keys instanceof Argument.Strings list)) {
            throw keys.position().error(what + " must be a string list, not " + describe(keys));
        }
        for (StringLiteral literal : list.values()) {
            Value value = value(literal);
            try {
                prepared.add(new MatchSpec.KeyValue(value, value.isConstant() ? matcher.prepare(value.constant())
                        : null));
            } catch (IllegalArgumentException e) {
                throw literal.position().error(e.getMessage());
            }
        }
        return new MatchSpec(matcher, prepared);
    }

    Matcher matcher(Arguments args) throws SieveException {
        Comparator comparator = Comparator.ASCII_CASEMAP;
        if (args.has("comparator")) {
            Argument param = args.param("comparator");
            String name = constant(param, "the comparator name");
            comparator = Comparator.of(name).orElseThrow(() -> param.position().error("unknown comparator \""
                    + name + "\" (i;octet, i;ascii-casemap or i;ascii-numeric)"));
            if (comparator == Comparator.ASCII_NUMERIC && !has(Capability.COMPARATOR_ASCII_NUMERIC)) {
                throw param.position().error("comparator i;ascii-numeric needs require "
                        + "\"comparator-i;ascii-numeric\"");
            }
        }
        String tag = args.inGroup(Rules.MATCH_TYPE);
        MatchType type = tag == null ? MatchType.IS : MatchType.valueOf(tag.toUpperCase(Locale.ROOT));
        Relation relation = null;
        if (type == MatchType.COUNT || type == MatchType.VALUE) {
            Argument param = args.param(tag);
            String name = constant(param, "the relation of :" + tag);
            relation = Relation.of(name).orElseThrow(() -> param.position().error("unknown relation \"" + name
                    + "\" (gt, ge, lt, le, eq or ne)"));
        }
        if (!comparator.supportsSubstring()
                && (type == MatchType.CONTAINS || type == MatchType.MATCHES || type == MatchType.REGEX)) {
            throw args.position(tag).error("comparator " + comparator.identifier() + " cannot be used with :" + tag
                    + " (it has no substring match)");
        }
        return new Matcher(comparator, type, relation);
    }

    /** :index n [:last]; returns n (0 when absent). */
    int index(Arguments args) throws SieveException {
        if (!args.has("index")) {
            if (args.has("last")) {
                throw args.position("last").error(":last needs :index");
            }
            return 0;
        }
        long n = number(args.param("index"), "the field number of :index");
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw args.param("index").position().error(":index counts from 1");
        }
        return (int) n;
    }

    /**
     * A variable name for "set", "setflag" & co. (RFC 5229 §4): constant, an identifier or "global.identifier";
     * a name declared global (or in the global namespace) is global.
     */
    VariableName variableName(Argument argument, String what) throws SieveException {
        String name = constant(argument, what);
        String lower = name.toLowerCase(Locale.ROOT);
        if (StringCompiler.isIdentifier(name)) {
            return new VariableName(globals.contains(lower), lower);
        }
        if (lower.startsWith("global.") && StringCompiler.isIdentifier(name.substring(7))) {
            if (!has(Capability.INCLUDE)) {
                throw argument.position().error("the global variable namespace needs require \"include\"");
            }
            return new VariableName(true, lower.substring(7));
        }
        if (!name.isEmpty() && name.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw argument.position().error("match variable ${" + name + "} cannot be set");
        }
        throw argument.position().error("invalid variable name \"" + name + "\"");
    }
}

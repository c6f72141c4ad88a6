package org.osprey.sieve.compile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osprey.sieve.SieveException;
import org.osprey.sieve.program.AddressPart;
import org.osprey.sieve.program.Capability;
import org.osprey.sieve.program.DatePart;
import org.osprey.sieve.program.MatchSpec;
import org.osprey.sieve.program.Test;
import org.osprey.sieve.program.Value;
import org.osprey.sieve.program.VariableName;
import org.osprey.sieve.syntax.Argument;
import org.osprey.sieve.syntax.TestNode;

/**
 * Checks and compiles tests: the base tests of RFC 5228 §5 and those of the supported extensions. Each test's
 * tags, argument count and types are checked, and the extension it belongs to must have been required.
 */
final class TestCompiler {
    private static final Map<String, Arguments.Rule> NONE = Map.of();
    private static final Map<String, Arguments.Rule> HEADER = Rules.of().comparator().matchTypes().index().build();
    private static final Map<String, Arguments.Rule> ADDRESS =
            Rules.of().comparator().matchTypes().addressParts().index().build();
    private static final Map<String, Arguments.Rule> ENVELOPE =
            Rules.of().comparator().matchTypes().addressParts().build();
    private static final Map<String, Arguments.Rule> MATCHING = Rules.of().comparator().matchTypes().build();
    private static final Map<String, Arguments.Rule> SIZE =
            Rules.of().flag("over", "size limit").flag("under", "size limit").build();
    private static final Map<String, Arguments.Rule> BODY = Rules.of().comparator().matchTypes()
            .flag("raw", "body transform").flag("text", "body transform")
            .param("content", Arguments.Param.STRING_LIST, "body transform").build();
    private static final Map<String, Arguments.Rule> DATE = Rules.of().comparator().matchTypes().index()
            .param("zone", Arguments.Param.STRING, "zone").flag("originalzone", "zone").build();
    private static final Map<String, Arguments.Rule> CURRENTDATE = Rules.of().comparator().matchTypes()
            .param("zone", Arguments.Param.STRING, "zone").build();
    private static final Map<String, Arguments.Rule> SPAMTEST = Rules.of().comparator().matchTypes()
            .flag("percent", null, Capability.SPAMTESTPLUS).build();
    private static final Map<String, Arguments.Rule> DUPLICATE = Rules.of()
            .param("handle", Arguments.Param.STRING, null)
            .param("header", Arguments.Param.STRING, "unique id").param("uniqueid", Arguments.Param.STRING, "unique id")
            .param("seconds", Arguments.Param.NUMBER, null).flag("last", null).build();

    private final CompileContext context;

    TestCompiler(CompileContext context) {
        this.context = context;
    }

    Test compile(TestNode node) throws SieveException {
        String name = node.name();
        if (!name.equals("not") && !name.equals("allof") && !name.equals("anyof") && !node.tests().isEmpty()) {
            throw node.tests().getFirst().position().error("test \"" + name + "\" takes no nested test");
        }
        return switch (name) {
            case "true" -> {
                read(node, NONE, 0, 0);
                yield new Test.True(node.position());
            }
            case "false" -> {
                read(node, NONE, 0, 0);
                yield new Test.False(node.position());
            }
            case "not" -> {
                read(node, NONE, 0, 0);
                if (node.tests().size() != 1 || node.testList()) {
                    throw node.position().error("\"not\" takes exactly one test");
                }
                yield new Test.Not(compile(node.tests().getFirst()), node.position());
            }
            case "allof", "anyof" -> {
                read(node, NONE, 0, 0);
                if (node.tests().isEmpty()) {
                    throw node.position().error("\"" + name + "\" takes a list of tests in parentheses");
                }
                List<Test> tests = new ArrayList<>();
                for (TestNode test : node.tests()) {
                    tests.add(compile(test));
                }
                yield name.equals("allof") ? new Test.AllOf(tests, node.position())
                        : new Test.AnyOf(tests, node.position());
            }
            case "header" -> {
                Arguments args = read(node, HEADER, 2, 2);
                yield new Test.Header(context.strings(args.positional().get(0), "the header names"),
                        match(args, 1), context.index(args), args.has("last"), node.position());
            }
            case "address" -> {
                Arguments args = read(node, ADDRESS, 2, 2);
                List<Value> headers = context.strings(args.positional().get(0), "the header names");
                for (int i = 0; i < headers.size(); i++) {
                    Value header = headers.get(i);
                    if (header.isConstant() && !holdsAddresses(header.constant())) {
                        throw positionOf(args.positional().get(0), i).error("header \"" + header.constant()
                                + "\" holds no addresses: the address test is for From, To, Cc and the like");
                    }
                }
                yield new Test.Address(headers, addressPart(args), match(args, 1), context.index(args),
                        args.has("last"), node.position());
            }
            case "envelope" -> {
                need(node, Capability.ENVELOPE);
                Arguments args = read(node, ENVELOPE, 2, 2);
                List<Value> parts = context.strings(args.positional().get(0), "the envelope parts");
                for (int i = 0; i < parts.size(); i++) {
                    Value part = parts.get(i);
                    if (part.isConstant()
                            && !List.of("from", "to").contains(part.constant().toLowerCase(Locale.ROOT))) {
                        throw positionOf(args.positional().get(0), i).error("unknown envelope part \""
                                + part.constant() + "\" (from or to)");
                    }
                }
                yield new Test.Envelope(parts, addressPart(args), match(args, 1), node.position());
            }
            case "exists" -> {
                Arguments args = read(node, NONE, 1, 1);
                yield new Test.Exists(context.strings(args.positional().get(0), "the header names"), node.position());
            }
            case "size" -> size(node);
            case "body" -> {
                need(node, Capability.BODY);
                Arguments args = read(node, BODY, 1, 1);
                Test.BodyTransform transform = args.has("raw") ? Test.BodyTransform.RAW
                        : args.has("content") ? Test.BodyTransform.CONTENT : Test.BodyTransform.TEXT;
                List<Value> types = args.has("content") ? context.strings(args.param("content"), "the content types")
                        : List.of();
                yield new Test.Body(transform, types, match(args, 0), node.position());
            }
            case "string" -> {
                need(node, Capability.VARIABLES);
                Arguments args = read(node, MATCHING, 2, 2);
                yield new Test.StringTest(context.strings(args.positional().get(0), "the source strings"),
                        match(args, 1), node.position());
            }
            case "hasflag" -> {
                need(node, Capability.IMAP4FLAGS);
                Arguments args = read(node, MATCHING, 1, 2);
                List<VariableName> variables = new ArrayList<>();
                if (args.positional().size() == 2) {
                    if (!context.has(Capability.VARIABLES)) {
                        throw args.positional().getFirst().position().error(
                                "hasflag with variable names needs require \"variables\"");
                    }
                    Argument list = args.positional().getFirst();
                    if (!(list instanceof Argument.Strings strings)) {
                        throw list.position().error("the variable names must be a string list");
                    }
                    for (var literal : strings.values()) {
                        variables.add(context.variableName(
                                new Argument.Strings(List.of(literal), false, literal.position()), "a variable name"));
                    }
                }
                yield new Test.HasFlag(variables, match(args, args.positional().size() - 1), node.position());
            }
            case "date" -> {
                need(node, Capability.DATE);
                Arguments args = read(node, DATE, 3, 3);
                Value header = context.string(args.positional().get(0), "the header name");
                Value part = datePart(args.positional().get(1));
                yield new Test.Date(header, zone(args), part, match(args, 2), context.index(args), args.has("last"),
                        node.position());
            }
            case "currentdate" -> {
                need(node, Capability.DATE);
                Arguments args = read(node, CURRENTDATE, 2, 2);
                Value part = datePart(args.positional().get(0));
                yield new Test.CurrentDate(zone(args), part, match(args, 1), node.position());
            }
            case "spamtest" -> {
                need(node, Capability.SPAMTEST, Capability.SPAMTESTPLUS);
                Arguments args = read(node, SPAMTEST, 1, 1);
                yield new Test.SpamTest(args.has("percent"), match(args, 0), node.position());
            }
            case "virustest" -> {
                need(node, Capability.VIRUSTEST);
                Arguments args = read(node, MATCHING, 1, 1);
                yield new Test.VirusTest(match(args, 0), node.position());
            }
            case "duplicate" -> duplicate(node);
            case "mailboxexists" -> {
                need(node, Capability.MAILBOX);
                Arguments args = read(node, NONE, 1, 1);
                yield new Test.MailboxExists(context.strings(args.positional().get(0), "the mailbox names"),
                        node.position());
            }
            default -> throw node.position().error("unknown test \"" + name + "\"");
        };
    }

    /** Where the i-th string of a string list argument is written. */
    private static org.osprey.sieve.syntax.Position positionOf(Argument list, int i) {
        return list instanceof Argument.Strings strings ? strings.values().get(i).position() : list.position();
    }

    /**
     * RFC 5228 §5.1: the address test is restricted to fields that hold addresses: the address fields of RFC 5322
     * §3.6.2-3.6.6, the trace and delivery fields that carry one, list and notification fields, and any X- field
     * (X-Original-To and its kin are common, and what they hold is the site's business).
     */
    static boolean holdsAddresses(String header) {
        String name = header.toLowerCase(Locale.ROOT);
        return ADDRESS_FIELDS.contains(name) || name.startsWith("x-");
    }

    private static final java.util.Set<String> ADDRESS_FIELDS = java.util.Set.of("from", "sender", "reply-to", "to",
            "cc", "bcc", "resent-from", "resent-sender", "resent-to", "resent-cc", "resent-bcc", "resent-reply-to",
            "return-path", "delivered-to", "envelope-to", "errors-to", "apparently-to", "mail-followup-to",
            "mail-reply-to", "disposition-notification-to", "return-receipt-to", "approved", "original-from",
            "original-sender", "original-recipient", "author");

    private Test size(TestNode node) throws SieveException {
        Arguments args = read(node, SIZE, 1, 1);
        if (!args.has("over") && !args.has("under")) {
            throw node.position().error("size needs :over or :under");
        }
        long limit = context.number(args.positional().getFirst(), "the size limit");
        return new Test.Size(args.has("over"), limit, node.position());
    }

    private Test duplicate(TestNode node) throws SieveException {
        need(node, Capability.DUPLICATE);
        Arguments args = read(node, DUPLICATE, 0, 0);
        Value handle = args.has("handle") ? context.string(args.param("handle"), "the handle") : null;
        Value header = args.has("header") ? context.string(args.param("header"), "the header name") : null;
        Value uniqueId = args.has("uniqueid") ? context.string(args.param("uniqueid"), "the unique id") : null;
        long seconds = args.has("seconds") ? context.number(args.param("seconds"), "the seconds") : -1;
        return new Test.Duplicate(handle, header, uniqueId, seconds, args.has("last"), node.position());
    }

    private MatchSpec match(Arguments args, int keysAt) throws SieveException {
        return context.match(args, args.positional().get(keysAt), "the keys");
    }

    private Value datePart(Argument argument) throws SieveException {
        Value part = context.string(argument, "the date part");
        if (part.isConstant() && DatePart.of(part.constant()).isEmpty()) {
            throw argument.position().error("unknown date part \"" + part.constant() + "\"");
        }
        return part;
    }

    private Test.Zone zone(Arguments args) throws SieveException {
        if (args.has("originalzone")) {
            return new Test.Zone.Original();
        }
        if (!args.has("zone")) {
            return new Test.Zone.Local();
        }
        Value zone = context.string(args.param("zone"), "the time zone");
        if (zone.isConstant() && !isZone(zone.constant())) {
            throw args.param("zone").position().error("invalid time zone \"" + zone.constant()
                    + "\" (it must look like +hhmm or -hhmm)");
        }
        return new Test.Zone.Fixed(zone);
    }

    /** RFC 5260 §4.1 time-zone: ("+" / "-") 4DIGIT, within the offsets that exist. */
    static boolean isZone(String zone) {
        return zone.matches("[+-](0\\d|1[0-8])[0-5]\\d");
    }

    private static AddressPart addressPart(Arguments args) {
        String tag = args.inGroup(Rules.ADDRESS_PART);
        return tag == null ? AddressPart.ALL : AddressPart.valueOf(tag.toUpperCase(Locale.ROOT));
    }

    private Arguments read(TestNode node, Map<String, Arguments.Rule> rules, int min, int max)
            throws SieveException {
        Arguments args = Arguments.read("test \"" + node.name() + "\"", node.arguments(), rules, context.capabilities);
        int count = args.positional().size();
        if (count < min || count > max) {
            throw node.position().error("test \"" + node.name() + "\" takes " + (min == max ? min : min + " or " + max)
                    + " positional argument" + (max == 1 ? "" : "s") + ", not " + count);
        }
        return args;
    }

    private void need(TestNode node, Capability... any) throws SieveException {
        for (Capability capability : any) {
            if (context.has(capability)) {
                return;
            }
        }
        throw node.position().error("unknown test \"" + node.name() + "\" (it needs require \""
                + any[0].identifier() + "\")");
    }
}

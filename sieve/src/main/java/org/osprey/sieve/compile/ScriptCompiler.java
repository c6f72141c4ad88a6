package org.osprey.sieve.compile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osprey.sieve.ScriptLocation;
import org.osprey.sieve.SieveException;
import org.osprey.sieve.message.AddressParser;
import org.osprey.sieve.message.HeaderText;
import org.osprey.sieve.program.Capability;
import org.osprey.sieve.program.Command;
import org.osprey.sieve.program.MatchSpec;
import org.osprey.sieve.ScriptRef;
import org.osprey.sieve.program.ScriptUnit;
import org.osprey.sieve.program.Test;
import org.osprey.sieve.program.Value;
import org.osprey.sieve.program.VariableName;
import org.osprey.sieve.syntax.Argument;
import org.osprey.sieve.syntax.CommandNode;
import org.osprey.sieve.syntax.Parser;
import org.osprey.sieve.syntax.StringLiteral;

/**
 * Compiles the text of one script into a {@link ScriptUnit}: parses it, reads its leading {@code require}
 * commands, then checks every command against what RFC 5228 and the supported extensions allow (name, tags,
 * argument count and types, extension required, elsif/else placement) and builds the compiled commands. The first
 * problem found is a {@link SieveException} with its line and column. Included scripts are not looked at here.
 */
public final class ScriptCompiler {
    private static final Map<String, Arguments.Rule> NONE = Map.of();
    private static final Map<String, Arguments.Rule> KEEP =
            Rules.of().param("flags", Arguments.Param.STRING_LIST, null, Capability.IMAP4FLAGS).build();
    private static final Map<String, Arguments.Rule> FILEINTO = Rules.of()
            .param("flags", Arguments.Param.STRING_LIST, null, Capability.IMAP4FLAGS)
            .flag("copy", null, Capability.COPY).flag("create", null, Capability.MAILBOX).build();
    private static final Map<String, Arguments.Rule> REDIRECT = Rules.of().flag("copy", null, Capability.COPY).build();
    private static final Map<String, Arguments.Rule> SET = Rules.of().flag("lower", "case modifier")
            .flag("upper", "case modifier").flag("lowerfirst", "first-letter modifier")
            .flag("upperfirst", "first-letter modifier").flag("quotewildcard", "quoting modifier")
            .flag("quoteregex", "quoting modifier", Capability.REGEX).flag("length", null).build();
    private static final Map<String, Arguments.Rule> ADDHEADER = Rules.of().flag("last", null).build();
    private static final Map<String, Arguments.Rule> DELETEHEADER = Rules.of().comparator().matchTypes()
            .param("index", Arguments.Param.NUMBER, null).flag("last", null).build();
    private static final Map<String, Arguments.Rule> VACATION = Rules.of()
            .param("days", Arguments.Param.NUMBER, "period")
            .param("seconds", Arguments.Param.NUMBER, "period", Capability.VACATION_SECONDS)
            .param("subject", Arguments.Param.STRING, null).param("from", Arguments.Param.STRING, null)
            .param("addresses", Arguments.Param.STRING_LIST, null).flag("mime", null)
            .param("handle", Arguments.Param.STRING, null).build();
    private static final Map<String, Arguments.Rule> INCLUDE = Rules.of().flag("personal", "location")
            .flag("global", "location").flag("once", null).flag("optional", null).build();

    private final ScriptRef ref;
    private final CompileContext context = new CompileContext();
    private final TestCompiler tests = new TestCompiler(context);

    private ScriptCompiler(ScriptRef ref) {
        this.ref = ref;
    }

    public static ScriptUnit compile(ScriptRef ref, String text) throws SieveException {
        return new ScriptCompiler(ref).script(Parser.parse(text));
    }

    private ScriptUnit script(List<CommandNode> nodes) throws SieveException {
        int i = 0;
        while (i < nodes.size() && nodes.get(i).name().equals("require")) {
            require(nodes.get(i++));
        }
        return new ScriptUnit(ref, context.capabilities, block(nodes.subList(i, nodes.size())));
    }

    /** RFC 5228 §3.2: require only before other commands; an unknown capability is an error. */
    private void require(CommandNode node) throws SieveException {
        plain(node);
        Arguments args = Arguments.read("require", node.arguments(), NONE, context.capabilities);
        if (args.positional().size() != 1 || !(args.positional().getFirst() instanceof Argument.Strings names)) {
            throw node.position().error("require takes one string list of extension names");
        }
        for (StringLiteral name : names.values()) {
            Capability capability = Capability.of(name.value()).orElseThrow(() -> name.position().error(
                    "unsupported extension \"" + name.value() + "\""));
            context.capabilities.add(capability);
            if (capability == Capability.VACATION_SECONDS) {
                context.capabilities.add(Capability.VACATION); // RFC 6131 §2
            }
        }
    }

    private List<Command> block(List<CommandNode> nodes) throws SieveException {
        List<Command> commands = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            CommandNode node = nodes.get(i);
            switch (node.name()) {
                case "require" -> throw node.position().error("require must come before any other command");
                case "elsif", "else" -> throw node.position().error(node.name() + " without a preceding if");
                case "if" -> {
                    List<Command.Branch> branches = new ArrayList<>();
                    branches.add(branch(node));
                    while (i + 1 < nodes.size() && nodes.get(i + 1).name().equals("elsif")) {
                        branches.add(branch(nodes.get(++i)));
                    }
                    List<Command> otherwise = List.of();
                    if (i + 1 < nodes.size() && nodes.get(i + 1).name().equals("else")) {
                        CommandNode otherwiseNode = nodes.get(++i);
                        if (!otherwiseNode.arguments().isEmpty() || !otherwiseNode.tests().isEmpty()) {
                            throw otherwiseNode.position().error("else takes no arguments or test");
                        }
                        otherwise = block(blockOf(otherwiseNode));
                    }
                    commands.add(new Command.If(branches, otherwise, node.position()));
                }
                default -> {
                    Command command = command(node);
                    if (command != null) {
                        commands.add(command);
                    }
                }
            }
        }
        return commands;
    }

    private Command.Branch branch(CommandNode node) throws SieveException {
        if (!node.arguments().isEmpty()) {
            throw node.arguments().getFirst().position().error(node.name() + " takes a test, not "
                    + CompileContext.describe(node.arguments().getFirst()));
        }
        if (node.tests().size() != 1 || node.testList()) {
            throw node.position().error(node.name() + " takes exactly one test (use allof or anyof to combine tests)");
        }
        List<CommandNode> block = blockOf(node);
        Test test = tests.compile(node.tests().getFirst());
        return new Command.Branch(test, block(block));
    }

    private static List<CommandNode> blockOf(CommandNode node) throws SieveException {
        if (node.block() == null) {
            throw node.position().error(node.name() + " needs a block { ... }");
        }
        return node.block();
    }

    /** A command that is not a control structure: no test, no block. */
    private static void plain(CommandNode node) throws SieveException {
        if (!node.tests().isEmpty()) {
            throw node.tests().getFirst().position().error("command \"" + node.name() + "\" takes no test");
        }
        if (node.block() != null) {
            throw node.position().error("command \"" + node.name() + "\" takes no block: end it with ';'");
        }
    }

    /** One action or control command; null for those that only act at compile time (global). */
    private Command command(CommandNode node) throws SieveException {
        plain(node);
        var at = node.position();
        return switch (node.name()) {
            case "stop" -> {
                read(node, NONE, 0, 0);
                yield new Command.Stop(at);
            }
            case "keep" -> {
                Arguments args = read(node, KEEP, 0, 0);
                yield new Command.Keep(flags(args), at);
            }
            case "discard" -> {
                read(node, NONE, 0, 0);
                yield new Command.Discard(at);
            }
            case "redirect" -> {
                Arguments args = read(node, REDIRECT, 1, 1);
                Value address = context.string(args.positional().getFirst(), "the redirect address");
                if (address.isConstant() && AddressParser.parseSingle(address.constant()).isEmpty()) {
                    throw args.positional().getFirst().position().error("invalid redirect address \""
                            + address.constant() + "\"");
                }
                yield new Command.Redirect(address, args.has("copy"), at);
            }
            case "fileinto" -> {
                need(node, Capability.FILEINTO);
                Arguments args = read(node, FILEINTO, 1, 1);
                Value mailbox = context.string(args.positional().getFirst(), "the mailbox name");
                if (mailbox.isConstant() && mailbox.constant().isEmpty()) {
                    throw args.positional().getFirst().position().error("the mailbox name is empty");
                }
                yield new Command.FileInto(mailbox, flags(args), args.has("copy"), args.has("create"), at);
            }
            case "reject", "ereject" -> {
                need(node, node.name().equals("reject") ? Capability.REJECT : Capability.EREJECT);
                Arguments args = read(node, NONE, 1, 1);
                yield new Command.Reject(context.string(args.positional().getFirst(), "the reason"),
                        node.name().equals("ereject"), at);
            }
            case "set" -> set(node);
            case "setflag", "addflag", "removeflag" -> flagCommand(node);
            case "addheader" -> {
                need(node, Capability.EDITHEADER);
                Arguments args = read(node, ADDHEADER, 2, 2);
                Value name = fieldName(args.positional().get(0));
                yield new Command.AddHeader(name, context.string(args.positional().get(1), "the header value"),
                        args.has("last"), at);
            }
            case "deleteheader" -> {
                need(node, Capability.EDITHEADER);
                Arguments args = read(node, DELETEHEADER, 1, 2);
                Value name = fieldName(args.positional().get(0));
                int index = context.index(args);
                MatchSpec match = args.positional().size() == 2
                        ? context.match(args, args.positional().get(1), "the value patterns") : null;
                yield new Command.DeleteHeader(name, index, args.has("last"), match, at);
            }
            case "vacation" -> vacation(node);
            case "include" -> include(node);
            case "return" -> {
                need(node, Capability.INCLUDE);
                read(node, NONE, 0, 0);
                yield new Command.Return(at);
            }
            case "global" -> {
                global(node);
                yield null;
            }
            default -> throw at.error("unknown command \"" + node.name() + "\"");
        };
    }

    private List<Value> flags(Arguments args) throws SieveException {
        return args.has("flags") ? context.strings(args.param("flags"), "the flags") : null;
    }

    private Value fieldName(Argument argument) throws SieveException {
        Value name = context.string(argument, "the header name");
        if (name.isConstant() && !HeaderText.isFieldName(name.constant())) {
            throw argument.position().error("invalid header field name \"" + name.constant() + "\"");
        }
        return name;
    }

    /** RFC 5229 §4. */
    private Command set(CommandNode node) throws SieveException {
        need(node, Capability.VARIABLES);
        Arguments args = read(node, SET, 2, 2);
        VariableName name = context.variableName(args.positional().get(0), "the variable name");
        if (!name.global()) {
            context.setLocally.add(name.name());
        }
        List<Command.Modifier> modifiers = new ArrayList<>();
        for (Command.Modifier modifier : Command.Modifier.values()) {
            if (args.has(modifier.name().toLowerCase(Locale.ROOT))) {
                modifiers.add(modifier);
            }
        }
        modifiers.sort(Comparator.comparingInt(Command.Modifier::precedence).reversed());
        return new Command.Set(name, context.string(args.positional().get(1), "the value"), modifiers,
                node.position());
    }

    /** RFC 5232 §3: [variable name] list-of-flags. */
    private Command flagCommand(CommandNode node) throws SieveException {
        need(node, Capability.IMAP4FLAGS);
        Arguments args = read(node, NONE, 1, 2);
        VariableName variable = null;
        if (args.positional().size() == 2) {
            if (!context.has(Capability.VARIABLES)) {
                throw args.positional().getFirst().position().error(node.name()
                        + " with a variable name needs require \"variables\"");
            }
            variable = context.variableName(args.positional().getFirst(), "the variable name");
            if (!variable.global()) {
                context.setLocally.add(variable.name());
            }
        }
        var operation = switch (node.name()) {
            case "setflag" -> Command.FlagOperation.SET;
            case "addflag" -> Command.FlagOperation.ADD;
            default -> Command.FlagOperation.REMOVE;
        };
        return new Command.Flags(operation, variable, context.strings(args.positional().getLast(), "the flags"),
                node.position());
    }

    /** RFC 5230 §4, RFC 6131 §2. */
    private Command vacation(CommandNode node) throws SieveException {
        need(node, Capability.VACATION);
        Arguments args = read(node, VACATION, 1, 1);
        long days = args.has("days") ? context.number(args.param("days"), "the days") : -1;
        long seconds = args.has("seconds") ? context.number(args.param("seconds"), "the seconds") : -1;
        Value subject = args.has("subject") ? context.string(args.param("subject"), "the subject") : null;
        Value from = args.has("from") ? context.string(args.param("from"), "the from address") : null;
        if (from != null && from.isConstant() && AddressParser.parseSingle(from.constant()).isEmpty()) {
            throw args.param("from").position().error("invalid :from address \"" + from.constant() + "\"");
        }
        List<Value> addresses = args.has("addresses") ? context.strings(args.param("addresses"), "the addresses")
                : List.of();
        Value handle = args.has("handle") ? context.string(args.param("handle"), "the handle") : null;
        Value reason = context.string(args.positional().getFirst(), "the reason");
        return new Command.Vacation(days, seconds, subject, from, addresses, args.has("mime"), handle, reason,
                node.position());
    }

    /** RFC 6609 §3.2: the name is a constant, checked as ManageSieve names are (RFC 5804 §1.6). */
    private Command include(CommandNode node) throws SieveException {
        need(node, Capability.INCLUDE);
        Arguments args = read(node, INCLUDE, 1, 1);
        String name = context.constant(args.positional().getFirst(), "the script name");
        if (!isScriptName(name)) {
            throw args.positional().getFirst().position().error("invalid script name \"" + name + "\"");
        }
        ScriptLocation location = args.has("global") ? ScriptLocation.GLOBAL : ScriptLocation.PERSONAL;
        return new Command.Include(new ScriptRef(location, name), args.has("once"), args.has("optional"),
                node.position());
    }

    /** RFC 6609 §3.4.1: needs include and variables; a name already set locally cannot become global. */
    private void global(CommandNode node) throws SieveException {
        need(node, Capability.INCLUDE);
        if (!context.has(Capability.VARIABLES)) {
            throw node.position().error("command \"global\" needs require \"variables\" too");
        }
        Arguments args = read(node, NONE, 1, 1);
        if (!(args.positional().getFirst() instanceof Argument.Strings names)) {
            throw node.position().error("global takes a string list of variable names");
        }
        for (StringLiteral literal : names.values()) {
            String name = literal.value();
            if (!StringCompiler.isIdentifier(name)) {
                throw literal.position().error("invalid global variable name \"" + name + "\"");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (context.setLocally.contains(lower)) {
                throw literal.position().error("variable \"" + name + "\" was set before it was declared global");
            }
            context.globals.add(lower);
        }
    }

    /** RFC 5804 §1.6 script names, and nothing a file system could misread. */
    public static boolean isScriptName(String name) {
        if (name.isEmpty() || name.length() > 255 || name.equals(".") || name.equals("..") || name.startsWith(".")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c >= 0x80 && c <= 0x9f || c == '\u2028' || c == '\u2029' || c == '/'
                    || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private Arguments read(CommandNode node, Map<String, Arguments.Rule> rules, int min, int max)
            throws SieveException {
        Arguments args = Arguments.read("command \"" + node.name() + "\"", node.arguments(), rules,
                context.capabilities);
        int count = args.positional().size();
        if (count < min || count > max) {
            throw node.position().error("command \"" + node.name() + "\" takes "
                    + (min == max ? String.valueOf(min) : min + " or " + max) + " positional argument"
                    + (max == 1 ? "" : "s") + ", not " + count);
        }
        return args;
    }

    private void need(CommandNode node, Capability capability) throws SieveException {
        if (!context.has(capability)) {
            throw node.position().error("unknown command \"" + node.name() + "\" (it needs require \""
                    + capability.identifier() + "\")");
        }
    }
}

package org.osprey.sieve.eval;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osprey.sieve.Action;
import org.osprey.sieve.HeaderEdit;
import org.osprey.sieve.MessageContext;
import org.osprey.sieve.ScriptRef;
import org.osprey.sieve.SieveLimits;
import org.osprey.sieve.match.Key;
import org.osprey.sieve.message.AddressParser;
import org.osprey.sieve.message.HeaderField;
import org.osprey.sieve.message.HeaderText;
import org.osprey.sieve.message.MailAddress;
import org.osprey.sieve.message.MessageHeader;
import org.osprey.sieve.program.Command;
import org.osprey.sieve.program.IncludedScript;
import org.osprey.sieve.program.LinkedScript;
import org.osprey.sieve.program.MatchSpec;
import org.osprey.sieve.program.ScriptUnit;
import org.osprey.sieve.program.Value;
import org.osprey.sieve.program.VariableName;
import org.osprey.sieve.syntax.Position;

/**
 * Runs the commands of one script: the main one of a sequence, or one it includes (RFC 6609), which gets its own
 * local variables and match variables and shares the global ones. Variable values are capped at
 * {@link #MAX_VALUE_LENGTH} characters and {@link #MAX_VARIABLES} per scope (RFC 5229 §6 allows limits).
 */
final class ScriptRun {
    static final int MAX_VALUE_LENGTH = 1 << 16;
    static final int MAX_VARIABLES = 1024;
    private static final String[] NO_CAPTURES = new String[0];

    private final Evaluation evaluation;
    private final LinkedScript linked;
    private final ScriptUnit unit;
    private final Map<String, String> locals = new HashMap<>();
    private final Map<String, String> globals;
    private final Deque<ScriptRef> stack;
    private final Set<ScriptRef> included;
    private final Tests tests;
    private String[] captures = NO_CAPTURES;

    /** A runtime error, with the script it happened in. */
    static final class Failure extends RuntimeException {
        private final String script;
        private final transient RuntimeError error;

        Failure(String script, RuntimeError error) {
            super(error.getMessage(), null, false, false);
            this.script = script;
            this.error = error;
        }

        String script() {
            return script;
        }

        RuntimeError error() {
            return error;
        }
    }

    /** The main script of a sequence. */
    ScriptRun(Evaluation evaluation, LinkedScript linked) {
        this(evaluation, linked, linked.main(), new HashMap<>(), new ArrayDeque<>(List.of(linked.main().ref())),
                new HashSet<>(Set.of(linked.main().ref())));
    }

    private ScriptRun(Evaluation evaluation, LinkedScript linked, ScriptUnit unit, Map<String, String> globals,
                      Deque<ScriptRef> stack, Set<ScriptRef> included) {
        this.evaluation = evaluation;
        this.linked = linked;
        this.unit = unit;
        this.globals = globals;
        this.stack = stack;
        this.included = included;
        this.tests = new Tests(this, evaluation);
    }

    Flow run() {
        try {
            return block(unit.commands());
        } catch (RuntimeError e) {
            throw new Failure(unit.ref().name(), e);
        }
    }

    private Flow block(List<Command> commands) {
        for (Command command : commands) {
            Flow flow = execute(command);
            if (flow != Flow.NEXT) {
                return flow;
            }
        }
        return Flow.NEXT;
    }

    private Flow execute(Command command) {
        evaluation.budget.tick();
        ActionSet actions = evaluation.actions;
        Position at = command.position();
        switch (command) {
            case Command.If conditional -> {
                for (Command.Branch branch : conditional.branches()) {
                    if (tests.test(branch.test())) {
                        return block(branch.block());
                    }
                }
                return block(conditional.otherwise());
            }
            case Command.Stop stop -> {
                return Flow.STOP;
            }
            case Command.Return ret -> {
                return Flow.RETURN;
            }
            case Command.Keep keep -> actions.keep(flags(keep.flags()), at);
            case Command.Discard discard -> actions.discard();
            case Command.Redirect redirect -> {
                String text = expand(redirect.address());
                MailAddress address = AddressParser.parseSingle(text)
                        .orElseThrow(() -> new RuntimeError(at, "invalid redirect address \"" + text + "\""));
                actions.redirect(address.addrSpec(), redirect.copy(), at);
            }
            case Command.FileInto fileInto -> {
                String folder = expand(fileInto.mailbox());
                if (folder.isEmpty()) {
                    throw new RuntimeError(at, "fileinto: the mailbox name is empty");
                }
                actions.fileInto(folder, flags(fileInto.flags()), fileInto.create(), fileInto.copy(), at);
            }
            case Command.Reject reject -> actions.reject(expand(reject.reason()), reject.extended(), at);
            case Command.Set set -> assign(set.name(), Modifiers.apply(expand(set.value()), set.modifiers()), at);
            case Command.Flags flags -> flagCommand(flags, at);
            case Command.AddHeader add -> addHeader(add, at);
            case Command.DeleteHeader delete -> deleteHeader(delete, at);
            case Command.Vacation vacation -> vacation(vacation, at);
            case Command.Include include -> {
                return include(include, at);
            }
        }
        return Flow.NEXT;
    }

    // ---- variables

    /** A value with its variable references replaced by their current values (RFC 5229 §3). */
    String expand(Value value) {
        List<Value.Part> parts = value.parts();
        if (parts.isEmpty()) {
            return "";
        }
        if (parts.size() == 1 && parts.getFirst() instanceof Value.Part.Text text) {
            return text.text();
        }
        var out = new StringBuilder();
        for (Value.Part part : parts) {
            switch (part) {
                case Value.Part.Text text -> out.append(text.text());
                case Value.Part.Variable variable -> out.append(variable(variable.name()));
                case Value.Part.MatchVariable match -> {
                    if (match.index() < captures.length) {
                        out.append(captures[match.index()]);
                    }
                }
            }
        }
        return out.toString();
    }

    String variable(VariableName name) {
        return (name.global() ? globals : locals).getOrDefault(name.name(), "");
    }

    private void assign(VariableName name, String value, Position at) {
        Map<String, String> scope = name.global() ? globals : locals;
        if (scope.size() >= MAX_VARIABLES && !scope.containsKey(name.name())) {
            throw new RuntimeError(at, "too many variables (at most " + MAX_VARIABLES + ")");
        }
        scope.put(name.name(), value.length() > MAX_VALUE_LENGTH ? value.substring(0, MAX_VALUE_LENGTH) : value);
    }

    /** Keeps what a successful :matches or :regex captured (RFC 5229 §3.2); other match types set nothing. */
    void captured(String[] values) {
        if (values.length > 0) {
            captures = values;
        }
    }

    // ---- flags (RFC 5232)

    private Set<String> flags(List<Value> given) {
        if (given == null) {
            return evaluation.internalFlags.toSet();
        }
        return FlagSet.parse(expandAll(given)).toSet();
    }

    List<String> expandAll(List<Value> values) {
        List<String> out = new ArrayList<>(values.size());
        for (Value value : values) {
            out.add(expand(value));
        }
        return out;
    }

    private void flagCommand(Command.Flags command, Position at) {
        FlagSet current = command.variable() == null ? evaluation.internalFlags
                : FlagSet.parse(variable(command.variable()));
        FlagSet given = FlagSet.parse(expandAll(command.flags()));
        switch (command.operation()) {
            case SET -> current = given;
            case ADD -> current.addAll(given);
            case REMOVE -> current.removeAll(given);
        }
        if (command.variable() == null) {
            evaluation.internalFlags = current;
        } else {
            assign(command.variable(), current.toString(), at);
        }
    }

    // ---- editheader (RFC 5293)

    private String fieldName(Value name, Position at) {
        String text = expand(name);
        if (!HeaderText.isFieldName(text)) {
            throw new RuntimeError(at, "invalid header field name \"" + text + "\"");
        }
        return text;
    }

    private void addHeader(Command.AddHeader add, Position at) {
        String name = fieldName(add.name(), at);
        // RFC 5293 §4: a value must be "unstructured"; line breaks become spaces, the editor folds long lines
        String value = expand(add.value()).replaceAll("[\\r\\n]+", " ");
        evaluation.message.header().add(name, value, add.last());
        evaluation.actions.edit(new HeaderEdit.AddHeader(name, value, add.last()));
    }

    private void deleteHeader(Command.DeleteHeader delete, Position at) {
        String name = fieldName(delete.name(), at);
        if (name.equalsIgnoreCase("Received") || name.equalsIgnoreCase("Auto-Submitted")) {
            return; // RFC 5293 §6: never deleted, and the attempt is silently ignored
        }
        MessageHeader header = evaluation.message.header();
        List<HeaderField> fields = header.all(name);
        List<Integer> chosen = new ArrayList<>();
        if (delete.index() > 0) {
            int i = delete.last() ? fields.size() - delete.index() : delete.index() - 1;
            if (i >= 0 && i < fields.size()) {
                chosen.add(i);
            }
        } else {
            for (int i = 0; i < fields.size(); i++) {
                chosen.add(i);
            }
        }
        MatchSpec match = delete.match();
        if (match != null) {
            List<Key> keys = tests.keys(match, at);
            if (match.matcher().type() == org.osprey.sieve.match.MatchType.COUNT) {
                if (!match.matcher().countMatchesAny(chosen.size(), keys)) {
                    chosen.clear();
                }
            } else {
                chosen.removeIf(i -> !tests.matchesAny(match, keys, fields.get(i).value()));
            }
        }
        // from the bottom up, so that each edit's occurrence number is still right when it applies
        chosen.sort(Comparator.reverseOrder());
        List<HeaderField> doomed = new ArrayList<>();
        for (int i : chosen) {
            doomed.add(fields.get(i));
            evaluation.actions.edit(new HeaderEdit.DeleteHeader(name, i + 1));
        }
        doomed.forEach(header::remove);
    }

    // ---- vacation (RFC 5230, RFC 6131)

    private void vacation(Command.Vacation v, Position at) {
        evaluation.actions.checkVacation(at);
        MessageContext context = evaluation.context;
        SieveLimits limits = context.limits();
        Duration period;
        if (v.seconds() >= 0) {
            period = Duration.ofSeconds(Math.min(v.seconds(), limits.vacationMax().toSeconds()));
        } else if (v.days() >= 0) {
            period = Duration.ofDays(Math.clamp(v.days(), 1, Math.max(1, limits.vacationMax().toDays())));
        } else {
            period = limits.vacationDefault();
        }
        List<String> addresses = expandAll(v.addresses());
        Set<String> own = new HashSet<>();
        for (String address : List.of(context.recipient(), context.envelopeTo())) {
            ownAddress(own, address);
        }
        context.userAddresses().forEach(a -> ownAddress(own, a));
        addresses.forEach(a -> ownAddress(own, a));
        MessageHeader header = evaluation.message.header();
        String refusal = VacationRules.refusal(context.envelopeFrom(), header, own);
        if (refusal != null) {
            evaluation.notes.add("vacation not sent: " + refusal);
            return;
        }
        String from = context.recipient();
        if (v.from() != null) {
            String given = expand(v.from());
            if (AddressParser.parseSingle(given).isPresent()) {
                from = given;
            } else {
                evaluation.notes.add("vacation: invalid :from \"" + given + "\" ignored");
            }
        }
        String subject;
        if (v.subject() != null) {
            subject = expand(v.subject());
        } else {
            String original = header.first("Subject");
            subject = original == null || original.isEmpty() ? "Automated reply" : "Auto: " + original;
        }
        String handle = v.handle() != null ? expand(v.handle()) : handle(v);
        String messageId = header.first("Message-ID");
        String references = header.first("References");
        String refs = messageId == null ? "" : ((references == null ? "" : references + " ") + messageId).strip();
        boolean added = evaluation.actions.vacation(new Action.Vacation(context.envelopeFrom(), from, subject,
                expand(v.reason()), v.mime(), period, handle, addresses, messageId == null ? "" : messageId, refs), at);
        if (!added) {
            evaluation.notes.add("vacation of script \"" + unit.ref().name() + "\" not sent: an earlier script of"
                    + " the sequence replies already");
        }
    }

    private static void ownAddress(Set<String> own, String address) {
        if (address != null && !address.isEmpty()) {
            MailAddress parsed = AddressParser.parseSingle(address).orElse(AddressParser.parseEnvelope(address));
            if (parsed.valid()) {
                own.add(VacationRules.normalized(parsed));
            }
        }
    }

    /**
     * RFC 5230 §4.2: without :handle, the response is identified by its arguments before variable expansion;
     * each is length-prefixed so that the same text in different arguments gives a different handle.
     */
    private static String handle(Command.Vacation v) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {v.reason().source(), v.subject() == null ? null : v.subject().source(),
                    v.from() == null ? null : v.from().source(), Boolean.toString(v.mime())}) {
                byte[] bytes = part == null ? new byte[0] : part.getBytes(StandardCharsets.UTF_8);
                digest.update((part == null ? "-" : bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    // ---- include (RFC 6609)

    private Flow include(Command.Include include, Position at) {
        ScriptRef ref = include.script();
        boolean recursive = stack.contains(ref);
        if (include.once() && (recursive || included.contains(ref))) {
            return Flow.NEXT; // RFC 6609 §3.2: a recursive :once include counts as included already
        }
        if (recursive) {
            throw new RuntimeError(at, "include loop: " + ref + " is already being run");
        }
        IncludedScript target = linked.library().getOrDefault(ref, new IncludedScript.Missing());
        ScriptUnit child;
        switch (target) {
            case IncludedScript.Missing missing -> {
                if (include.optional()) {
                    return Flow.NEXT;
                }
                throw new RuntimeError(at, "included script " + ref + " does not exist");
            }
            case IncludedScript.Broken broken -> throw new RuntimeError(at, "included script " + ref + ": "
                    + broken.problem());
            case IncludedScript.Found found -> child = found.unit();
        }
        if (stack.size() >= evaluation.context.limits().maxIncludeDepth()) {
            throw new RuntimeError(at, "includes nested more than " + evaluation.context.limits().maxIncludeDepth()
                    + " deep");
        }
        included.add(ref);
        stack.push(ref);
        try {
            Flow flow = new ScriptRun(evaluation, linked, child, globals, stack, included).run();
            return flow == Flow.STOP ? Flow.STOP : Flow.NEXT;
        } finally {
            stack.pop();
        }
    }
}

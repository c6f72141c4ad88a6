package org.osprey.sieve.eval;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.osprey.sieve.MessageContext;
import org.osprey.sieve.match.Key;
import org.osprey.sieve.match.MatchType;
import org.osprey.sieve.match.Matcher;
import org.osprey.sieve.message.AddressParser;
import org.osprey.sieve.message.HeaderField;
import org.osprey.sieve.message.HeaderText;
import org.osprey.sieve.message.MailAddress;
import org.osprey.sieve.message.MailDate;
import org.osprey.sieve.message.MessageHeader;
import org.osprey.sieve.program.AddressPart;
import org.osprey.sieve.program.DatePart;
import org.osprey.sieve.program.MatchSpec;
import org.osprey.sieve.program.Test;
import org.osprey.sieve.program.Value;
import org.osprey.sieve.program.VariableName;
import org.osprey.sieve.syntax.Position;

/**
 * Evaluates tests for a {@link ScriptRun}: finds the strings a test compares (header values, addresses, envelope,
 * body parts, dates, flags, scores), then matches them against the keys. allof/anyof short-circuit left to right
 * (RFC 5229 §3.2); match variables are set by the first successful :matches or :regex comparison.
 */
final class Tests {
    private final ScriptRun run;
    private final Evaluation evaluation;

    Tests(ScriptRun run, Evaluation evaluation) {
        this.run = run;
        this.evaluation = evaluation;
    }

    boolean test(Test test) {
        return switch (test) {
            case Test.True t -> true;
            case Test.False f -> false;
            case Test.Not not -> !test(not.test());
            case Test.AllOf all -> {
                for (Test t : all.tests()) {
                    if (!test(t)) {
                        yield false;
                    }
                }
                yield true;
            }
            case Test.AnyOf any -> {
                for (Test t : any.tests()) {
                    if (test(t)) {
                        yield true;
                    }
                }
                yield false;
            }
            case Test.Header header -> header(header);
            case Test.Address address -> address(address);
            case Test.Envelope envelope -> envelope(envelope);
            case Test.Exists exists -> {
                MessageHeader header = evaluation.message.header();
                for (Value name : exists.names()) {
                    if (!header.has(run.expand(name))) {
                        yield false;
                    }
                }
                yield true;
            }
            case Test.Size size -> size.over() ? evaluation.context.size() > size.limit()
                    : evaluation.context.size() < size.limit();
            case Test.Body body -> body(body);
            case Test.StringTest string -> {
                List<String> sources = run.expandAll(string.sources());
                yield values(string.match(), sources, (int) sources.stream().filter(s -> !s.isEmpty()).count(),
                        string.position());
            }
            case Test.HasFlag hasFlag -> hasFlag(hasFlag);
            case Test.Date date -> date(date);
            case Test.CurrentDate current -> datePart(current.match(), shift(evaluation.now, current.zone(),
                    current.position()), current.datePart(), current.position());
            case Test.SpamTest spam -> spam(spam);
            case Test.VirusTest virus -> {
                var level = evaluation.context.virusLevel();
                yield values(virus.match(), List.of(level.isPresent() ? Integer.toString(level.getAsInt()) : "0"),
                        level.isPresent() ? 1 : 0, virus.position());
            }
            case Test.Duplicate duplicate -> duplicate(duplicate);
            case Test.MailboxExists exists -> {
                for (Value mailbox : exists.mailboxes()) {
                    if (!evaluation.context.mailboxes().exists(run.expand(mailbox))) {
                        yield false;
                    }
                }
                yield true;
            }
        };
    }

    // ---- matching

    /** The keys of a test, prepared: constant ones were at compile time, the others are now. */
    List<Key> keys(MatchSpec spec, Position at) {
        List<MatchSpec.KeyValue> given = spec.keys();
        List<Key> keys = new ArrayList<>(given.size());
        for (MatchSpec.KeyValue key : given) {
            if (key.prepared() != null) {
                keys.add(key.prepared());
            } else {
                try {
                    keys.add(spec.matcher().prepare(run.expand(key.value())));
                } catch (IllegalArgumentException e) {
                    throw new RuntimeError(at, e.getMessage());
                }
            }
        }
        return keys;
    }

    boolean matchesAny(MatchSpec spec, List<Key> keys, String value) {
        Matcher matcher = spec.matcher();
        for (Key key : keys) {
            String[] captures = matcher.match(value, key, evaluation.budget);
            if (captures != null) {
                run.captured(captures);
                return true;
            }
        }
        return false;
    }

    /** Compares values with the keys; with :count, compares {@code count} instead (RFC 5231 §4.2). */
    private boolean values(MatchSpec spec, List<String> values, int count, Position at) {
        List<Key> keys = keys(spec, at);
        if (spec.matcher().type() == MatchType.COUNT) {
            return spec.matcher().countMatchesAny(count, keys);
        }
        for (String value : values) {
            if (matchesAny(spec, keys, value)) {
                return true;
            }
        }
        return false;
    }

    // ---- header, address, envelope

    /** The fields named, in the order of the names; with :index only the chosen one (RFC 5260 §6). */
    private List<HeaderField> fields(List<Value> names, int index, boolean last) {
        MessageHeader header = evaluation.message.header();
        List<HeaderField> all;
        if (names.size() == 1) {
            all = header.all(run.expand(names.getFirst()));
        } else {
            all = new ArrayList<>();
            for (Value name : names) {
                all.addAll(header.all(run.expand(name)));
            }
        }
        if (index == 0) {
            return all;
        }
        int i = last ? all.size() - index : index - 1;
        return i >= 0 && i < all.size() ? List.of(all.get(i)) : List.of();
    }

    private boolean header(Test.Header test) {
        List<HeaderField> fields = fields(test.names(), test.index(), test.last());
        List<Key> keys = keys(test.match(), test.position());
        if (test.match().matcher().type() == MatchType.COUNT) {
            return test.match().matcher().countMatchesAny(fields.size(), keys);
        }
        for (HeaderField field : fields) {
            if (matchesAny(test.match(), keys, field.value())) {
                return true;
            }
        }
        return false;
    }

    private boolean address(Test.Address test) {
        List<String> parts = new ArrayList<>();
        int count = 0;
        for (HeaderField field : fields(test.headers(), test.index(), test.last())) {
            for (MailAddress address : field.addresses()) {
                count++;
                String part = part(address, test.part());
                if (part != null) {
                    parts.add(part);
                }
            }
        }
        return values(test.match(), parts, count, test.position());
    }

    private boolean envelope(Test.Envelope test) {
        MessageContext context = evaluation.context;
        List<String> parts = new ArrayList<>();
        int count = 0;
        for (Value name : test.parts()) {
            switch (run.expand(name).toLowerCase(Locale.ROOT)) {
                case "from" -> {
                    if (context.envelopeFrom().isEmpty()) {
                        parts.add(""); // RFC 5228 §5.4: <> is "", whatever the address part
                    } else {
                        count++;
                        addPart(parts, AddressParser.parseEnvelope(context.envelopeFrom()), test.part());
                    }
                }
                case "to" -> {
                    if (!context.envelopeTo().isEmpty()) {
                        count++;
                        addPart(parts, AddressParser.parseEnvelope(context.envelopeTo()), test.part());
                    }
                }
                default -> {
                    // an envelope part named by a variable that is neither: nothing to compare
                }
            }
        }
        return values(test.match(), parts, count, test.position());
    }

    private static void addPart(List<String> parts, MailAddress address, AddressPart which) {
        String part = part(address, which);
        if (part != null) {
            parts.add(part);
        }
    }

    /**
     * The part of an address a test compares, or null when it has none: :localpart and :domain of an invalid
     * address (RFC 5228 §2.7.4), :detail of an address without a "+" (RFC 5233 §4).
     */
    static String part(MailAddress address, AddressPart which) {
        if (!address.valid()) {
            return which == AddressPart.ALL ? address.text() : null;
        }
        String local = address.localPart();
        int plus = local.indexOf('+');
        return switch (which) {
            case ALL -> address.addrSpec();
            case LOCALPART -> local;
            case DOMAIN -> address.domain();
            case USER -> plus < 0 ? local : local.substring(0, plus);
            case DETAIL -> plus < 0 ? null : local.substring(plus + 1);
        };
    }

    // ---- body (RFC 5173)

    private boolean body(Test.Body test) {
        if (!evaluation.message.hasBody()) {
            return false; // RFC 5173 §4: a message without the empty line has no body, not an empty one
        }
        List<String> parts = switch (test.transform()) {
            case RAW -> List.of(evaluation.message.rawBody());
            case TEXT -> evaluation.message.textParts();
            case CONTENT -> {
                List<String> types = new ArrayList<>();
                for (String type : run.expandAll(test.contentTypes())) {
                    types.add(type.toLowerCase(Locale.ROOT));
                }
                yield evaluation.message.contentParts(types);
            }
        };
        return values(test.match(), parts, parts.size(), test.position());
    }

    // ---- hasflag (RFC 5232 §4)

    private boolean hasFlag(Test.HasFlag test) {
        FlagSet flags = new FlagSet();
        int count; // RFC 5232 §4: the sum of each variable's number of distinct flags
        if (test.variables().isEmpty()) {
            flags.addAll(evaluation.internalFlags);
            count = flags.size();
        } else {
            count = 0;
            for (VariableName variable : test.variables()) {
                FlagSet one = FlagSet.parse(run.variable(variable));
                count += one.size();
                flags.addAll(one);
            }
        }
        MatchSpec spec = test.match();
        if (spec.matcher().type() == MatchType.COUNT) {
            return spec.matcher().countMatchesAny(count, keys(spec, test.position()));
        }
        // a key string may hold several flags separated by spaces, like a flag list
        List<Key> keys = new ArrayList<>();
        for (MatchSpec.KeyValue key : spec.keys()) {
            String text = run.expand(key.value());
            if (key.prepared() != null && text.indexOf(' ') < 0) {
                keys.add(key.prepared());
                continue;
            }
            for (String word : text.split(" +")) {
                if (!word.isEmpty()) {
                    try {
                        keys.add(spec.matcher().prepare(word));
                    } catch (IllegalArgumentException e) {
                        throw new RuntimeError(test.position(), e.getMessage());
                    }
                }
            }
        }
        for (String flag : flags.toSet()) {
            if (matchesAny(spec, keys, flag)) {
                return true;
            }
        }
        return false;
    }

    // ---- date, currentdate (RFC 5260)

    private boolean date(Test.Date test) {
        List<HeaderField> fields = evaluation.message.header().all(run.expand(test.header()));
        int index = test.index() == 0 ? 1 : test.index();
        int i = test.last() ? fields.size() - index : index - 1;
        Optional<OffsetDateTime> time = Optional.empty();
        if (i >= 0 && i < fields.size()) {
            String value = fields.get(i).value();
            // RFC 5260 §4: the whole field, or what follows the last ";" (as in Received)
            int semicolon = value.lastIndexOf(';');
            time = MailDate.parse(semicolon >= 0 ? value.substring(semicolon + 1) : value);
        }
        if (time.isEmpty()) {
            return test.match().matcher().type() == MatchType.COUNT
                    && test.match().matcher().countMatchesAny(0, keys(test.match(), test.position()));
        }
        return datePart(test.match(), shift(time.get(), test.zone(), test.position()), test.datePart(),
                test.position());
    }

    private OffsetDateTime shift(OffsetDateTime time, Test.Zone zone, Position at) {
        return switch (zone) {
            case Test.Zone.Original original -> time;
            case Test.Zone.Local local -> time.atZoneSameInstant(evaluation.context.clock().getZone())
                    .toOffsetDateTime();
            case Test.Zone.Fixed fixed -> {
                String text = run.expand(fixed.offset());
                if (!text.matches("[+-](0\\d|1[0-8])[0-5]\\d")) {
                    throw new RuntimeError(at, "invalid time zone \"" + text + "\"");
                }
                yield time.withOffsetSameInstant(DateParts.offset(text));
            }
        };
    }

    private boolean datePart(MatchSpec match, OffsetDateTime time, Value partName, Position at) {
        String name = run.expand(partName);
        DatePart part = DatePart.of(name).orElseThrow(() -> new RuntimeError(at, "unknown date part \"" + name
                + "\""));
        return values(match, List.of(DateParts.format(time, part)), 1, at);
    }

    // ---- spamtest (RFC 5235)

    private boolean spam(Test.SpamTest test) {
        var percent = evaluation.context.spamPercent();
        String value;
        if (!percent.isPresent()) {
            value = "0";
        } else if (test.percent()) {
            value = Integer.toString(percent.getAsInt());
        } else {
            // 0 % is "tested, clear" (1), 100 % "definitely spam" (10)
            value = Integer.toString(1 + (int) Math.round(percent.getAsInt() * 9 / 100.0));
        }
        return values(test.match(), List.of(value), percent.isPresent() ? 1 : 0, test.position());
    }

    // ---- duplicate (RFC 7352)

    private boolean duplicate(Test.Duplicate test) {
        var limits = evaluation.context.limits();
        if (test.seconds() == 0) {
            return false; // RFC 7352 §3.3
        }
        String id;
        if (test.uniqueId() != null) {
            id = run.expand(test.uniqueId());
        } else {
            String name = test.header() == null ? "Message-ID" : run.expand(test.header());
            if (!HeaderText.isFieldName(name)) {
                return false; // RFC 7352 §3.1: an invalid header name is no error, just false
            }
            id = evaluation.message.header().first(name);
            if (id == null) {
                return false;
            }
        }
        Duration period = test.seconds() < 0 ? limits.duplicateDefault()
                : Duration.ofSeconds(Math.min(test.seconds(), limits.duplicateMax().toSeconds()));
        String handle = test.handle() == null ? "" : run.expand(test.handle());
        return evaluation.duplicate(handle, id, period, test.last());
    }
}

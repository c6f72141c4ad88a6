package org.osprey.sieve.program;

import java.util.List;
import org.osprey.sieve.syntax.Position;

/**
 * A compiled test. Each variant holds its arguments already checked; the interpreter evaluates it against the
 * message. {@code index} is the :index field number of RFC 5260 §6 (0 when not given), {@code last} its :last.
 */
public sealed interface Test {
    Position position();

    record True(Position position) implements Test {
    }

    record False(Position position) implements Test {
    }

    record Not(Test test, Position position) implements Test {
    }

    record AllOf(List<Test> tests, Position position) implements Test {
        public AllOf {
            tests = List.copyOf(tests);
        }
    }

    record AnyOf(List<Test> tests, Position position) implements Test {
        public AnyOf {
            tests = List.copyOf(tests);
        }
    }

    record Header(List<Value> names, MatchSpec match, int index, boolean last, Position position) implements Test {
        public Header {
            names = List.copyOf(names);
        }
    }

    record Address(List<Value> headers, AddressPart part, MatchSpec match, int index, boolean last,
                   Position position) implements Test {
        public Address {
            headers = List.copyOf(headers);
        }
    }

    /** RFC 5228 §5.4; parts are "from" or "to" (checked when constant). */
    record Envelope(List<Value> parts, AddressPart part, MatchSpec match, Position position) implements Test {
        public Envelope {
            parts = List.copyOf(parts);
        }
    }

    record Exists(List<Value> names, Position position) implements Test {
        public Exists {
            names = List.copyOf(names);
        }
    }

    record Size(boolean over, long limit, Position position) implements Test {
    }

    /** RFC 5173; {@code contentTypes} is used with {@link BodyTransform#CONTENT} only. */
    record Body(BodyTransform transform, List<Value> contentTypes, MatchSpec match, Position position)
            implements Test {
        public Body {
            contentTypes = List.copyOf(contentTypes);
        }
    }

    /** RFC 5229 §5. */
    record StringTest(List<Value> sources, MatchSpec match, Position position) implements Test {
        public StringTest {
            sources = List.copyOf(sources);
        }
    }

    /** RFC 5232 §4; an empty {@code variables} list means the internal flags variable. */
    record HasFlag(List<VariableName> variables, MatchSpec match, Position position) implements Test {
        public HasFlag {
            variables = List.copyOf(variables);
        }
    }

    /** RFC 5260 §4. */
    record Date(Value header, Zone zone, Value datePart, MatchSpec match, int index, boolean last,
                Position position) implements Test {
    }

    /** RFC 5260 §5. */
    record CurrentDate(Zone zone, Value datePart, MatchSpec match, Position position) implements Test {
    }

    /** RFC 5235 §3.2; {@code percent} for spamtestplus's :percent. */
    record SpamTest(boolean percent, MatchSpec match, Position position) implements Test {
    }

    /** RFC 5235 §3.3. */
    record VirusTest(MatchSpec match, Position position) implements Test {
    }

    /**
     * RFC 7352 §3; {@code header} and {@code uniqueId} are null when not given (at most one is given),
     * {@code seconds} is -1 when not given.
     */
    record Duplicate(Value handle, Value header, Value uniqueId, long seconds, boolean last, Position position)
            implements Test {
    }

    /** RFC 5490 §3.1. */
    record MailboxExists(List<Value> mailboxes, Position position) implements Test {
        public MailboxExists {
            mailboxes = List.copyOf(mailboxes);
        }
    }

    /** Where the date and currentdate tests take the time zone from (RFC 5260 §4.1). */
    sealed interface Zone {
        /** Neither :zone nor :originalzone: the local zone. */
        record Local() implements Zone {
        }

        /** :originalzone: the zone written in the header. */
        record Original() implements Zone {
        }

        /** :zone "+hhmm". */
        record Fixed(Value offset) implements Zone {
        }
    }

    /** The body transforms of RFC 5173 §5. */
    enum BodyTransform {
        RAW, CONTENT, TEXT
    }
}

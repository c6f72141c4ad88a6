package org.osprey.sieve.program;

import java.util.List;
import org.osprey.sieve.ScriptRef;
import org.osprey.sieve.syntax.Position;

/**
 * A compiled command. "require" and "global" leave nothing to run (they act at compile time); if/elsif/else become
 * one {@link If}. {@code flags} of keep and fileinto is null when :flags was not given (the internal variable of
 * RFC 5232 §3 applies then).
 */
public sealed interface Command {
    Position position();

    /** if / elsif ... / else: the first branch whose test is true runs, else {@code otherwise} (may be empty). */
    record If(List<Branch> branches, List<Command> otherwise, Position position) implements Command {
        public If {
            branches = List.copyOf(branches);
            otherwise = List.copyOf(otherwise);
        }
    }

    record Branch(Test test, List<Command> block) {
        public Branch {
            block = List.copyOf(block);
        }
    }

    record Stop(Position position) implements Command {
    }

    /** RFC 6609 §3.3. */
    record Return(Position position) implements Command {
    }

    record Keep(List<Value> flags, Position position) implements Command {
        public Keep {
            flags = flags == null ? null : List.copyOf(flags);
        }
    }

    record Discard(Position position) implements Command {
    }

    record Redirect(Value address, boolean copy, Position position) implements Command {
    }

    record FileInto(Value mailbox, List<Value> flags, boolean copy, boolean create, Position position)
            implements Command {
        public FileInto {
            flags = flags == null ? null : List.copyOf(flags);
        }
    }

    /** reject, or ereject when {@code extended} (RFC 5429). */
    record Reject(Value reason, boolean extended, Position position) implements Command {
    }

    /** RFC 5229 §4; modifiers in the order they apply (highest precedence first). */
    record Set(VariableName name, Value value, List<Modifier> modifiers, Position position) implements Command {
        public Set {
            modifiers = List.copyOf(modifiers);
        }
    }

    /** setflag / addflag / removeflag (RFC 5232 §3); {@code variable} null means the internal variable. */
    record Flags(FlagOperation operation, VariableName variable, List<Value> flags, Position position)
            implements Command {
        public Flags {
            flags = List.copyOf(flags);
        }
    }

    /** RFC 5293 §4. */
    record AddHeader(Value name, Value value, boolean last, Position position) implements Command {
    }

    /** RFC 5293 §5; {@code match} null when no value patterns were given. */
    record DeleteHeader(Value name, int index, boolean last, MatchSpec match, Position position)
            implements Command {
    }

    /**
     * RFC 5230 §4 and RFC 6131: {@code days} and {@code seconds} are -1 when not given; {@code subject},
     * {@code from} and {@code handle} are null when not given.
     */
    record Vacation(long days, long seconds, Value subject, Value from, List<Value> addresses, boolean mime,
                    Value handle, Value reason, Position position) implements Command {
        public Vacation {
            addresses = List.copyOf(addresses);
        }
    }

    /** RFC 6609 §3.2. */
    record Include(ScriptRef script, boolean once, boolean optional, Position position) implements Command {
    }

    enum FlagOperation {
        SET, ADD, REMOVE
    }

    /** The modifiers of "set" (RFC 5229 §4.1, :quoteregex from the regex draft), with their precedence. */
    enum Modifier {
        LOWER(40), UPPER(40), LOWERFIRST(30), UPPERFIRST(30), QUOTEWILDCARD(20), QUOTEREGEX(20), LENGTH(10);

        private final int precedence;

        Modifier(int precedence) {
            this.precedence = precedence;
        }

        public int precedence() {
            return precedence;
        }
    }
}

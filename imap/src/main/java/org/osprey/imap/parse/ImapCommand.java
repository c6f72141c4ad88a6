package org.osprey.imap.parse;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One parsed IMAP command (RFC 3501 §6, RFC 9051 §6 and the extensions Osprey offers), immutable. Mailbox names are
 * already decoded (modified UTF-7, RFC 3501 §5.1.3, or UTF-8 once UTF8=ACCEPT is enabled) and INBOX is in upper case
 * whatever case the client used. Strings are Java strings; sizes and numbers are checked. The parser knows nothing of
 * the session state: whether a command is allowed now (authenticated? selected? CONDSTORE enabled?) is for the
 * processor to decide.
 */
public sealed interface ImapCommand {

    /** The client's tag, echoed in the completion response. */
    String tag();

    /** The command name as the completion text uses it, e.g. "UID FETCH". */
    default String name() {
        String base = switch (this) {
            case Capability _ -> "CAPABILITY";
            case Noop _ -> "NOOP";
            case Logout _ -> "LOGOUT";
            case StartTls _ -> "STARTTLS";
            case Authenticate _ -> "AUTHENTICATE";
            case Login _ -> "LOGIN";
            case Enable _ -> "ENABLE";
            case Id _ -> "ID";
            case Idle _ -> "IDLE";
            case Namespace _ -> "NAMESPACE";
            case Select c -> c.readOnly() ? "EXAMINE" : "SELECT";
            case Create _ -> "CREATE";
            case Delete _ -> "DELETE";
            case Rename _ -> "RENAME";
            case Subscribe _ -> "SUBSCRIBE";
            case Unsubscribe _ -> "UNSUBSCRIBE";
            case ListMailboxes _ -> "LIST";
            case Lsub _ -> "LSUB";
            case Status _ -> "STATUS";
            case Append _ -> "APPEND";
            case Check _ -> "CHECK";
            case Close _ -> "CLOSE";
            case Unselect _ -> "UNSELECT";
            case Expunge _ -> "EXPUNGE";
            case UidExpunge _ -> "UID EXPUNGE";
            case Search _ -> "SEARCH";
            case Fetch _ -> "FETCH";
            case Store _ -> "STORE";
            case Copy _ -> "COPY";
            case Move _ -> "MOVE";
            case Sort _ -> "SORT";
            case Thread _ -> "THREAD";
            case GetQuota _ -> "GETQUOTA";
            case GetQuotaRoot _ -> "GETQUOTAROOT";
            case SetQuota _ -> "SETQUOTA";
        };
        boolean uid = switch (this) {
            case Search c -> c.uid();
            case Fetch c -> c.uid();
            case Store c -> c.uid();
            case Copy c -> c.uid();
            case Move c -> c.uid();
            case Sort c -> c.uid();
            case Thread c -> c.uid();
            default -> false;
        };
        return uid ? "UID " + base : base;
    }

    // ---- any state (RFC 9051 §6.1)

    record Capability(String tag) implements ImapCommand {
    }

    record Noop(String tag) implements ImapCommand {
    }

    record Logout(String tag) implements ImapCommand {
    }

    /** RFC 2971: the client's identification; NIL values are left out, {@code ID NIL} gives an empty map. */
    record Id(String tag, Map<String, String> parameters) implements ImapCommand {
        public Id {
            parameters = Map.copyOf(parameters);
        }
    }

    // ---- not authenticated (RFC 9051 §6.2)

    record StartTls(String tag) implements ImapCommand {
    }

    /**
     * AUTHENTICATE mechanism [initial-response] (RFC 4959 SASL-IR). The initial response is the base64 text as sent
     * (checked to be base64); {@code =} (an empty response) gives an empty string.
     */
    record Authenticate(String tag, String mechanism, Optional<String> initialResponse) implements ImapCommand {
        @Override
        public String toString() {
            return "Authenticate[tag=" + tag + ", mechanism=" + mechanism + ", initialResponse="
                    + (initialResponse.isPresent() ? "(hidden)" : "none") + "]";
        }
    }

    /** LOGIN; the password is kept out of {@link #toString()} so it never reaches a log line. */
    record Login(String tag, String user, String password) implements ImapCommand {
        @Override
        public String toString() {
            return "Login[tag=" + tag + ", user=" + user + ", password=(hidden)]";
        }
    }

    // ---- authenticated (RFC 9051 §6.3)

    /** RFC 5161: capability names in upper case, e.g. "CONDSTORE", "UTF8=ACCEPT", "IMAP4REV2". */
    record Enable(String tag, List<String> capabilities) implements ImapCommand {
        public Enable {
            capabilities = List.copyOf(capabilities);
        }
    }

    /** RFC 2177. The session then reads lines until {@link CommandReader#isDone DONE}. */
    record Idle(String tag) implements ImapCommand {
    }

    record Namespace(String tag) implements ImapCommand {
    }

    /** QRESYNC parameters of SELECT/EXAMINE (RFC 7162 §3.2.5). */
    record Qresync(long uidValidity, long modSeq, Optional<SequenceSet> knownUids,
            Optional<SequenceSet> knownSequenceNumbers, Optional<SequenceSet> knownSequenceUids) {
    }

    /** SELECT, or EXAMINE when {@code readOnly}; with (CONDSTORE) or (QRESYNC (...)) parameters (RFC 7162). */
    record Select(String tag, String mailbox, boolean readOnly, boolean condstore, Optional<Qresync> qresync)
            implements ImapCommand {
    }

    /** CREATE, with RFC 6154 CREATE-SPECIAL-USE attributes (e.g. "\Drafts"), empty when none were given. */
    record Create(String tag, String mailbox, List<String> specialUse) implements ImapCommand {
        public Create {
            specialUse = List.copyOf(specialUse);
        }
    }

    record Delete(String tag, String mailbox) implements ImapCommand {
    }

    record Rename(String tag, String from, String to) implements ImapCommand {
    }

    record Subscribe(String tag, String mailbox) implements ImapCommand {
    }

    record Unsubscribe(String tag, String mailbox) implements ImapCommand {
    }

    /** RFC 5258 selection options, plus RFC 6154's SPECIAL-USE. */
    enum ListSelect { SUBSCRIBED, REMOTE, RECURSIVEMATCH, SPECIAL_USE }

    /** RFC 5258 return options, plus SPECIAL-USE (RFC 6154) and STATUS (RFC 5819). */
    enum ListReturn { SUBSCRIBED, CHILDREN, SPECIAL_USE, STATUS }

    /**
     * LIST (RFC 3501 §6.3.8 and LIST-EXTENDED, RFC 5258). {@code extended} is true when any extended syntax was used
     * (selection options, several patterns, RETURN), which changes what the response must contain. {@code status}
     * holds the items of RETURN (STATUS (...)) and is empty otherwise.
     */
    record ListMailboxes(String tag, String reference, List<String> patterns, Set<ListSelect> selection,
            Set<ListReturn> returns, List<StatusItem> status, boolean extended) implements ImapCommand {
        public ListMailboxes {
            patterns = List.copyOf(patterns);
            selection = Set.copyOf(selection);
            returns = Set.copyOf(returns);
            status = List.copyOf(status);
        }
    }

    record Lsub(String tag, String reference, String pattern) implements ImapCommand {
    }

    record Status(String tag, String mailbox, List<StatusItem> items) implements ImapCommand {
        public Status {
            items = List.copyOf(items);
        }
    }

    /**
     * APPEND (RFC 3501 §6.3.11). The message was received through {@link LiteralHandler#receiveMessage}; whoever
     * handles the command closes it. {@code binary}: sent as literal8 ({@code ~{n}}, RFC 3516); {@code utf8}: sent
     * as {@code UTF8 (~{n})} (RFC 6855 §4).
     */
    record Append(String tag, String mailbox, List<Flag> flags, Optional<OffsetDateTime> internalDate,
            MessageData message, boolean binary, boolean utf8) implements ImapCommand {
        public Append {
            flags = List.copyOf(flags);
        }
    }

    record GetQuota(String tag, String root) implements ImapCommand {
    }

    record GetQuotaRoot(String tag, String mailbox) implements ImapCommand {
    }

    /** RFC 9208 SETQUOTA: resource names in upper case ("STORAGE", "MESSAGE") to limits, in the client's order. */
    record SetQuota(String tag, String root, Map<String, Long> limits) implements ImapCommand {
        public SetQuota {
            limits = Collections.unmodifiableMap(new LinkedHashMap<>(limits));
        }
    }

    // ---- selected (RFC 9051 §6.4)

    record Check(String tag) implements ImapCommand {
    }

    record Close(String tag) implements ImapCommand {
    }

    /** RFC 3691. */
    record Unselect(String tag) implements ImapCommand {
    }

    record Expunge(String tag) implements ImapCommand {
    }

    /** RFC 4315 UIDPLUS. */
    record UidExpunge(String tag, SequenceSet uids) implements ImapCommand {
    }

    /** RFC 4731 ESEARCH return options, plus SAVE (RFC 5182). */
    enum SearchReturn { MIN, MAX, ALL, COUNT, SAVE }

    /**
     * SEARCH. {@code returns} is empty for a plain SEARCH and non-empty when RETURN (...) was given (ESEARCH
     * response); RETURN () means RETURN (ALL) (RFC 4731 §3.1). Strings in {@code key} are already decoded from the
     * CHARSET.
     */
    record Search(String tag, boolean uid, Set<SearchReturn> returns, SearchKey key) implements ImapCommand {
        public Search {
            returns = Set.copyOf(returns);
        }
    }

    /**
     * FETCH; {@code changedSince} and {@code vanished} are RFC 7162's CHANGEDSINCE and VANISHED modifiers
     * (VANISHED only with UID FETCH and CHANGEDSINCE).
     */
    record Fetch(String tag, boolean uid, SequenceSet set, List<FetchItem> items, OptionalLong changedSince,
            boolean vanished) implements ImapCommand {
        public Fetch {
            items = List.copyOf(items);
        }
    }

    enum StoreMode {
        /** FLAGS. */
        REPLACE,
        /** +FLAGS. */
        ADD,
        /** -FLAGS. */
        REMOVE
    }

    /** STORE; {@code unchangedSince} is RFC 7162's UNCHANGEDSINCE (0 is allowed). */
    record Store(String tag, boolean uid, SequenceSet set, OptionalLong unchangedSince, StoreMode mode,
            boolean silent, List<Flag> flags) implements ImapCommand {
        public Store {
            flags = List.copyOf(flags);
        }
    }

    record Copy(String tag, boolean uid, SequenceSet set, String mailbox) implements ImapCommand {
    }

    /** RFC 6851. */
    record Move(String tag, boolean uid, SequenceSet set, String mailbox) implements ImapCommand {
    }

    /** RFC 5256 sort keys, plus RFC 5957's DISPLAYFROM and DISPLAYTO. */
    enum SortKey { ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO, DISPLAYFROM, DISPLAYTO }

    record SortCriterion(SortKey key, boolean reverse) {
    }

    /** RFC 5256 SORT (criteria) charset search-keys. */
    record Sort(String tag, boolean uid, List<SortCriterion> criteria, SearchKey key) implements ImapCommand {
        public Sort {
            criteria = List.copyOf(criteria);
        }
    }

    enum ThreadAlgorithm { ORDEREDSUBJECT, REFERENCES }

    /** RFC 5256 THREAD algorithm charset search-keys. */
    record Thread(String tag, boolean uid, ThreadAlgorithm algorithm, SearchKey key) implements ImapCommand {
    }
}

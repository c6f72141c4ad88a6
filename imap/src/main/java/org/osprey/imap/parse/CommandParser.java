package org.osprey.imap.parse;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osprey.core.net.LineInput;
import org.osprey.imap.parse.ImapCommand.ListReturn;
import org.osprey.imap.parse.ImapCommand.ListSelect;
import org.osprey.imap.parse.ImapCommand.SearchReturn;
import org.osprey.imap.parse.ImapCommand.SortCriterion;
import org.osprey.imap.parse.ImapCommand.SortKey;
import org.osprey.imap.parse.ImapCommand.StoreMode;
import org.osprey.imap.parse.ImapCommand.ThreadAlgorithm;
import org.osprey.imap.parse.SearchKey.DateField;
import org.osprey.imap.parse.SearchKey.Relation;

/**
 * The IMAP command grammar (RFC 3501 §9 and RFC 9051 §9 with the ABNF of the extensions named on each method), a
 * recursive-descent parser over a {@link Cursor}. One instance parses one command. Recursion happens only for
 * search keys and is bounded by {@link ParserLimits#maxDepth()}.
 *
 * <p>Most callers want {@link CommandReader}; {@link #parse(byte[], boolean)} parses one complete command held in
 * memory (literals included, as a client would send them), for tests and fuzzing.
 */
public final class CommandParser {
    /** Message sizes, mod-sequences and other 63-bit numbers (RFC 9051 number64, RFC 7162 mod-sequence-value). */
    private static final long MAX_NUMBER64 = Long.MAX_VALUE;
    private static final long MAX_NUMBER = 0xFFFF_FFFFL;
    private static final int MAX_ID_PAIRS = 30;
    private static final String[] MONTHS =
            {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    private static final Pattern DATE_TIME = Pattern.compile(
            "( ?\\d|\\d\\d)-([A-Za-z]{3})-(\\d{4}) (\\d\\d):(\\d\\d):(\\d\\d) ([+-])(\\d\\d)(\\d\\d)");
    private static final Pattern BASE64 = Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

    private final Cursor c;
    private final ParserLimits limits;
    private final boolean utf8Names;
    private String tag;

    CommandParser(Cursor cursor, ParserLimits limits, boolean utf8Names) {
        this.c = cursor;
        this.limits = limits;
        this.utf8Names = utf8Names;
    }

    /**
     * Parses one complete command from memory, e.g. {@code "a1 LOGIN {5}\r\nalice secret\r\n"}: continuations are
     * implied, APPEND messages are kept in memory. Throws {@link ImapParseException} like {@link CommandReader}, and
     * {@link IllegalArgumentException} when the bytes end before the command does.
     */
    public static ImapCommand parse(byte[] command, boolean utf8Names) {
        return parse(command, utf8Names, ParserLimits.DEFAULT);
    }

    public static ImapCommand parse(byte[] command, boolean utf8Names, ParserLimits limits) {
        LiteralHandler accepting = new LiteralHandler() {
            @Override
            public void sendContinuation() {
            }

            @Override
            public MessageData receiveMessage(InputStream body, long size) throws IOException {
                return new MessageData.InMemory(body.readAllBytes());
            }
        };
        CommandReader reader = new CommandReader(accepting, limits);
        reader.setUtf8MailboxNames(utf8Names);
        try {
            return reader.read(new LineInput(new ByteArrayInputStream(command)));
        } catch (EOFException e) {
            throw new IllegalArgumentException("input ends inside the command", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tag, once read; null before (or when the line had none). */
    String tag() {
        return tag;
    }

    ImapCommand command() throws IOException {
        tag = c.tag();
        if (c.atEnd()) {
            throw ImapParseException.bad("Missing command");
        }
        c.sp();
        String name = upper(c.atom());
        ImapCommand command = switch (name) {
            case "CAPABILITY" -> new ImapCommand.Capability(tag);
            case "NOOP" -> new ImapCommand.Noop(tag);
            case "LOGOUT" -> new ImapCommand.Logout(tag);
            case "STARTTLS" -> new ImapCommand.StartTls(tag);
            case "AUTHENTICATE" -> authenticate();
            case "LOGIN" -> login();
            case "ENABLE" -> enable();
            case "ID" -> id();
            case "IDLE" -> new ImapCommand.Idle(tag);
            case "NAMESPACE" -> new ImapCommand.Namespace(tag);
            case "SELECT" -> select(false);
            case "EXAMINE" -> select(true);
            case "CREATE" -> create();
            case "DELETE" -> new ImapCommand.Delete(tag, spMailbox());
            case "RENAME" -> new ImapCommand.Rename(tag, spMailbox(), spMailbox());
            case "SUBSCRIBE" -> new ImapCommand.Subscribe(tag, spMailbox());
            case "UNSUBSCRIBE" -> new ImapCommand.Unsubscribe(tag, spMailbox());
            case "LIST" -> list();
            case "LSUB" -> lsub();
            case "STATUS" -> status();
            case "APPEND" -> append();
            case "GETQUOTA" -> getQuota();
            case "GETQUOTAROOT" -> new ImapCommand.GetQuotaRoot(tag, spMailbox());
            case "SETQUOTA" -> setQuota();
            case "CHECK" -> new ImapCommand.Check(tag);
            case "CLOSE" -> new ImapCommand.Close(tag);
            case "UNSELECT" -> new ImapCommand.Unselect(tag);
            case "EXPUNGE" -> new ImapCommand.Expunge(tag);
            case "UID" -> uid();
            default -> {
                ImapCommand numbered = numbered(name, false);
                if (numbered == null) {
                    throw ImapParseException.bad("Unknown command");
                }
                yield numbered;
            }
        };
        c.end();
        return command;
    }

    /** The commands that have a UID form (RFC 3501 §6.4.8, RFC 4315, RFC 5256, RFC 6851). */
    private ImapCommand numbered(String name, boolean uid) throws IOException {
        return switch (name) {
            case "SEARCH" -> search(uid);
            case "FETCH" -> fetch(uid);
            case "STORE" -> store(uid);
            case "COPY" -> {
                SequenceSet set = spSequenceSet();
                yield new ImapCommand.Copy(tag, uid, set, spMailbox());
            }
            case "MOVE" -> {
                SequenceSet set = spSequenceSet();
                yield new ImapCommand.Move(tag, uid, set, spMailbox());
            }
            case "SORT" -> sort(uid);
            case "THREAD" -> thread(uid);
            default -> null;
        };
    }

    private ImapCommand uid() throws IOException {
        c.sp();
        String name = upper(c.atom());
        if (name.equals("EXPUNGE")) {
            return new ImapCommand.UidExpunge(tag, spSequenceSet());
        }
        ImapCommand command = numbered(name, true);
        if (command == null) {
            throw ImapParseException.bad("Unknown UID command");
        }
        return command;
    }

    // ---- not authenticated

    /** RFC 3501 §6.2.2 with RFC 4959 SASL-IR: AUTHENTICATE mechanism [SP (base64 / "=")]. */
    private ImapCommand authenticate() {
        c.sp();
        String mechanism = upper(c.atom());
        Optional<String> initial = Optional.empty();
        if (c.spaceThenMore()) {
            String response = c.atom();
            if (response.equals("=")) {
                initial = Optional.of("");
            } else if (BASE64.matcher(response).matches()) {
                initial = Optional.of(response);
            } else {
                throw ImapParseException.bad("Initial response is not base64");
            }
        }
        return new ImapCommand.Authenticate(tag, mechanism, initial);
    }

    private ImapCommand login() throws IOException {
        c.sp();
        String user = text(c.astring());
        c.sp();
        String password = text(c.astring());
        return new ImapCommand.Login(tag, user, password);
    }

    // ---- any state / authenticated

    /** RFC 5161: ENABLE 1*(SP capability). */
    private ImapCommand enable() {
        List<String> capabilities = new ArrayList<>();
        c.sp();
        capabilities.add(upper(c.atom()));
        while (c.spaceThenMore()) {
            capabilities.add(upper(c.atom()));
        }
        return new ImapCommand.Enable(tag, capabilities);
    }

    /** RFC 2971: ID ("name" "value" ...) / ID NIL; at most 30 pairs (§3.3). */
    private ImapCommand id() throws IOException {
        c.sp();
        Map<String, String> parameters = new LinkedHashMap<>();
        if (c.keyword("NIL")) {
            return new ImapCommand.Id(tag, parameters);
        }
        c.expect('(');
        int pairs = 0;
        while (c.peek() != ')') {
            if (pairs > 0) {
                c.sp();
            }
            if (++pairs > MAX_ID_PAIRS) {
                throw ImapParseException.bad("Too many ID fields (limit " + MAX_ID_PAIRS + ")");
            }
            String field = text(c.string());
            c.sp();
            byte[] value = c.nstring();
            if (value != null) {
                parameters.putIfAbsent(field, text(value));
            }
        }
        c.expect(')');
        return new ImapCommand.Id(tag, parameters);
    }

    /** SELECT/EXAMINE mailbox [SP "(" select-param *(SP select-param) ")"] (RFC 4466 §2.4, RFC 7162 §3.1.8, §3.2.5). */
    private ImapCommand select(boolean readOnly) throws IOException {
        String mailbox = spMailbox();
        boolean condstore = false;
        ImapCommand.Qresync qresync = null;
        if (c.spaceThenMore()) {
            c.expect('(');
            do {
                String param = upper(c.atom());
                if (param.equals("CONDSTORE") && !condstore) {
                    condstore = true;
                } else if (param.equals("QRESYNC") && qresync == null) {
                    c.sp();
                    qresync = qresync();
                } else {
                    throw ImapParseException.bad("Unknown or repeated SELECT parameter");
                }
            } while (spaceInList());
            c.expect(')');
        }
        return new ImapCommand.Select(tag, mailbox, readOnly, condstore, Optional.ofNullable(qresync));
    }

    /** "(" uidvalidity SP mod-sequence-value [SP known-uids] [SP seq-match-data] ")" (RFC 7162 §3.2.5, §7). */
    private ImapCommand.Qresync qresync() {
        c.expect('(');
        long uidValidity = c.nzNumber(MAX_NUMBER);
        c.sp();
        long modSeq = c.nzNumber(MAX_NUMBER64);
        SequenceSet knownUids = null;
        SequenceSet knownSequence = null;
        SequenceSet knownSequenceUids = null;
        if (c.peek() == ' ' && c.peek(1) != '(') {
            c.sp();
            knownUids = sequenceSet(false);
        }
        if (c.peek() == ' ') {
            c.sp();
            c.expect('(');
            knownSequence = sequenceSet(false);
            c.sp();
            knownSequenceUids = sequenceSet(false);
            c.expect(')');
            if (countNumbers(knownSequence) != countNumbers(knownSequenceUids)) {
                // RFC 7162 §3.2.5: the two sets must have the same number of messages.
                throw ImapParseException.bad("QRESYNC sequence match data of different lengths");
            }
        }
        c.expect(')');
        return new ImapCommand.Qresync(uidValidity, modSeq, Optional.ofNullable(knownUids),
                Optional.ofNullable(knownSequence), Optional.ofNullable(knownSequenceUids));
    }

    private static long countNumbers(SequenceSet set) {
        long count = 0;
        for (SequenceSet.Range range : set.ranges()) {
            count += Math.abs(range.last() - range.first()) + 1;
        }
        return count;
    }

    /** CREATE mailbox [SP "(" "USE" SP "(" [use-attr *(SP use-attr)] ")" ")"] (RFC 4466, RFC 6154 §3). */
    private ImapCommand create() throws IOException {
        String mailbox = spMailbox();
        List<String> use = new ArrayList<>();
        if (c.spaceThenMore()) {
            c.expect('(');
            boolean seen = false;
            do {
                if (seen || !c.keyword("USE")) {
                    throw ImapParseException.bad("Unknown or repeated CREATE parameter");
                }
                seen = true;
                c.sp();
                c.expect('(');
                if (c.peek() != ')') {
                    do {
                        c.expect('\\');
                        String attribute = specialUse(c.atom());
                        if (!use.contains(attribute)) {
                            use.add(attribute);
                        }
                    } while (spaceInList());
                }
                c.expect(')');
            } while (spaceInList());
            c.expect(')');
        }
        return new ImapCommand.Create(tag, mailbox, use);
    }

    private static final List<String> SPECIAL_USE =
            List.of("\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash");

    private static String specialUse(String atom) {
        for (String known : SPECIAL_USE) {
            if (known.substring(1).equalsIgnoreCase(atom)) {
                return known;
            }
        }
        // RFC 6154 §3: an unknown use-attr gets NO [USEATTR]; that is the processor's answer, so keep it.
        return "\\" + atom;
    }

    /**
     * LIST [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts] (RFC 5258 §6, RFC 6154 §6,
     * RFC 5819). Unknown options are errors (RFC 5258 §3), as is RECURSIVEMATCH without another option that it can
     * modify (§3.1).
     */
    private ImapCommand list() throws IOException {
        c.sp();
        Set<ListSelect> selection = EnumSet.noneOf(ListSelect.class);
        boolean extended = false;
        if (c.peek() == '(') {
            extended = true;
            c.skip();
            if (c.peek() != ')') {
                do {
                    String option = upper(c.atom());
                    selection.add(switch (option) {
                        case "SUBSCRIBED" -> ListSelect.SUBSCRIBED;
                        case "REMOTE" -> ListSelect.REMOTE;
                        case "RECURSIVEMATCH" -> ListSelect.RECURSIVEMATCH;
                        case "SPECIAL-USE" -> ListSelect.SPECIAL_USE;
                        default -> throw ImapParseException.bad("Unknown LIST selection option");
                    });
                } while (spaceInList());
            }
            c.expect(')');
            c.sp();
            if (selection.contains(ListSelect.RECURSIVEMATCH) && selection.stream()
                    .noneMatch(s -> s == ListSelect.SUBSCRIBED || s == ListSelect.SPECIAL_USE)) {
                throw ImapParseException.bad("RECURSIVEMATCH needs another selection option");
            }
        }
        String reference = name(c.astring());
        c.sp();
        List<String> patterns = new ArrayList<>();
        if (c.peek() == '(') {
            extended = true;
            c.skip();
            do {
                patterns.add(name(c.listMailbox()));
            } while (spaceInList());
            c.expect(')');
        } else {
            patterns.add(name(c.listMailbox()));
        }
        Set<ListReturn> returns = EnumSet.noneOf(ListReturn.class);
        List<StatusItem> status = new ArrayList<>();
        if (c.spaceThenMore()) {
            if (!c.keyword("RETURN")) {
                throw ImapParseException.bad("Expected RETURN");
            }
            extended = true;
            c.sp();
            c.expect('(');
            if (c.peek() != ')') {
                do {
                    String option = upper(c.atom());
                    switch (option) {
                        case "SUBSCRIBED" -> returns.add(ListReturn.SUBSCRIBED);
                        case "CHILDREN" -> returns.add(ListReturn.CHILDREN);
                        case "SPECIAL-USE" -> returns.add(ListReturn.SPECIAL_USE);
                        case "STATUS" -> {
                            if (!returns.add(ListReturn.STATUS)) {
                                throw ImapParseException.bad("STATUS given twice");
                            }
                            c.sp();
                            status.addAll(statusItems());
                        }
                        default -> throw ImapParseException.bad("Unknown LIST return option");
                    }
                } while (spaceInList());
            }
            c.expect(')');
        }
        return new ImapCommand.ListMailboxes(tag, reference, patterns, selection, returns, status, extended);
    }

    private ImapCommand lsub() throws IOException {
        c.sp();
        String reference = name(c.astring());
        c.sp();
        String pattern = name(c.listMailbox());
        return new ImapCommand.Lsub(tag, reference, pattern);
    }

    private ImapCommand status() throws IOException {
        String mailbox = spMailbox();
        c.sp();
        return new ImapCommand.Status(tag, mailbox, statusItems());
    }

    /** "(" status-att *(SP status-att) ")". */
    private List<StatusItem> statusItems() {
        c.expect('(');
        List<StatusItem> items = new ArrayList<>();
        do {
            StatusItem item = StatusItem.of(c.atom())
                    .orElseThrow(() -> ImapParseException.bad("Unknown STATUS item"));
            if (!items.contains(item)) {
                items.add(item);
            }
        } while (spaceInList());
        c.expect(')');
        return items;
    }

    /**
     * APPEND mailbox [SP flag-list] [SP date-time] SP (literal / literal8 / "UTF8" SP "(" literal8 ")")
     * (RFC 3501 §6.3.11, RFC 3516 §4.4, RFC 6855 §4). One message: MULTIAPPEND is not offered.
     */
    private ImapCommand append() throws IOException {
        String mailbox = spMailbox();
        c.sp();
        List<Flag> flags = List.of();
        if (c.peek() == '(') {
            flags = flagList();
            c.sp();
        }
        OffsetDateTime date = null;
        if (c.peek() == '"') {
            date = dateTime(text(c.string()));
            c.sp();
        }
        boolean utf8 = false;
        Cursor.Message message;
        if (c.keyword("UTF8")) {
            utf8 = true;
            c.sp();
            c.expect('(');
            if (c.peek() != '~') {
                throw ImapParseException.bad("UTF8 needs a literal8");
            }
            message = c.message(mailbox);
            c.expect(')');
        } else if (c.atMessageLiteral()) {
            message = c.message(mailbox);
        } else {
            throw ImapParseException.bad("Expected the message as a literal");
        }
        return new ImapCommand.Append(tag, mailbox, flags, Optional.ofNullable(date), message.data(),
                message.binary(), utf8);
    }

    /** RFC 9208: GETQUOTA quota-root. */
    private ImapCommand getQuota() throws IOException {
        c.sp();
        return new ImapCommand.GetQuota(tag, text(c.astring()));
    }

    /** RFC 9208: SETQUOTA quota-root SP "(" [resource SP limit *(SP resource SP limit)] ")". */
    private ImapCommand setQuota() throws IOException {
        c.sp();
        String root = text(c.astring());
        c.sp();
        c.expect('(');
        Map<String, Long> limitsByResource = new LinkedHashMap<>();
        if (c.peek() != ')') {
            do {
                String resource = upper(c.atom());
                c.sp();
                long limit = c.number(MAX_NUMBER64);
                if (limitsByResource.put(resource, limit) != null) {
                    throw ImapParseException.bad("Resource given twice");
                }
            } while (spaceInList());
        }
        c.expect(')');
        return new ImapCommand.SetQuota(tag, root, limitsByResource);
    }

    // ---- selected: SEARCH, SORT, THREAD

    /** SEARCH [SP "RETURN" SP "(" [opt *(SP opt)] ")"] [SP "CHARSET" SP charset] 1*(SP search-key) (RFC 4731). */
    private ImapCommand search(boolean uid) throws IOException {
        c.sp();
        Set<SearchReturn> returns = EnumSet.noneOf(SearchReturn.class);
        if (c.keyword("RETURN")) {
            c.sp();
            c.expect('(');
            if (c.peek() != ')') {
                do {
                    String option = upper(c.atom());
                    returns.add(switch (option) {
                        case "MIN" -> SearchReturn.MIN;
                        case "MAX" -> SearchReturn.MAX;
                        case "ALL" -> SearchReturn.ALL;
                        case "COUNT" -> SearchReturn.COUNT;
                        case "SAVE" -> SearchReturn.SAVE;
                        default -> throw ImapParseException.bad("Unknown SEARCH return option");
                    });
                } while (spaceInList());
            }
            c.expect(')');
            if (returns.isEmpty()) {
                returns.add(SearchReturn.ALL); // RFC 4731 §3.1: RETURN () is RETURN (ALL)
            }
            c.sp();
        }
        Charset charset = StandardCharsets.UTF_8;
        if (c.keyword("CHARSET")) {
            c.sp();
            charset = charset();
            c.sp();
        }
        return new ImapCommand.Search(tag, uid, returns, searchProgram(charset));
    }

    /** RFC 5256: SORT SP "(" [REVERSE SP] sort-key *(SP ...) ")" SP charset 1*(SP search-key). */
    private ImapCommand sort(boolean uid) throws IOException {
        c.sp();
        c.expect('(');
        List<SortCriterion> criteria = new ArrayList<>();
        do {
            boolean reverse = false;
            if (c.keyword("REVERSE")) {
                reverse = true;
                c.sp();
            }
            String key = upper(c.atom());
            SortKey sortKey;
            try {
                sortKey = SortKey.valueOf(key);
            } catch (IllegalArgumentException e) {
                throw ImapParseException.bad("Unknown sort key");
            }
            criteria.add(new SortCriterion(sortKey, reverse));
        } while (spaceInList());
        c.expect(')');
        c.sp();
        Charset charset = charset();
        c.sp();
        return new ImapCommand.Sort(tag, uid, criteria, searchProgram(charset));
    }

    /** RFC 5256: THREAD SP algorithm SP charset 1*(SP search-key). */
    private ImapCommand thread(boolean uid) throws IOException {
        c.sp();
        ThreadAlgorithm algorithm = switch (upper(c.atom())) {
            case "ORDEREDSUBJECT" -> ThreadAlgorithm.ORDEREDSUBJECT;
            case "REFERENCES" -> ThreadAlgorithm.REFERENCES;
            default -> throw ImapParseException.bad("Unknown thread algorithm");
        };
        c.sp();
        Charset charset = charset();
        c.sp();
        return new ImapCommand.Thread(tag, uid, algorithm, searchProgram(charset));
    }

    /**
     * charset = atom / quoted. US-ASCII and UTF-8 must be supported (RFC 9051 §6.4.4); any charset Java knows is
     * accepted. Others: NO [BADCHARSET], never BAD (RFC 3501 §6.4.4).
     */
    private Charset charset() throws IOException {
        String name = c.peek() == '"' ? text(c.string()) : c.atom();
        try {
            if (name.equalsIgnoreCase("US-ASCII") || name.equalsIgnoreCase("UTF-8")) {
                // US-ASCII search strings are a subset; decoding them as UTF-8 is lenient with 8-bit clients.
                return StandardCharsets.UTF_8;
            }
            if (Charset.isSupported(name)) {
                return Charset.forName(name);
            }
        } catch (IllegalCharsetNameException e) {
            // falls through to BADCHARSET
        }
        throw ImapParseException.no("BADCHARSET (US-ASCII UTF-8)", "Unsupported charset");
    }

    /** 1*(SP search-key), the first SP already read: several keys mean all of them. */
    private SearchKey searchProgram(Charset charset) throws IOException {
        List<SearchKey> keys = new ArrayList<>();
        keys.add(searchKey(charset, 1));
        while (c.spaceThenMore()) {
            keys.add(searchKey(charset, 1));
        }
        return keys.size() == 1 ? keys.getFirst() : new SearchKey.And(keys);
    }

    /** search-key (RFC 3501 §9, RFC 9051 §9, RFC 7162 §7 MODSEQ, RFC 5182 $). */
    private SearchKey searchKey(Charset charset, int depth) throws IOException {
        if (depth > limits.maxDepth()) {
            throw ImapParseException.bad("Search keys nested too deeply (limit " + limits.maxDepth() + ")");
        }
        int b = c.peek();
        if (b == '(') {
            c.skip();
            List<SearchKey> keys = new ArrayList<>();
            do {
                keys.add(searchKey(charset, depth + 1));
            } while (spaceInList());
            c.expect(')');
            return keys.size() == 1 ? keys.getFirst() : new SearchKey.And(keys);
        }
        if ((b >= '0' && b <= '9') || b == '*' || b == '$') {
            return new SearchKey.Sequence(sequenceSet(true));
        }
        String name = upper(c.atom());
        return switch (name) {
            case "ALL" -> new SearchKey.All();
            case "ANSWERED" -> new SearchKey.HasFlag(Flag.ANSWERED);
            case "DELETED" -> new SearchKey.HasFlag(Flag.DELETED);
            case "DRAFT" -> new SearchKey.HasFlag(Flag.DRAFT);
            case "FLAGGED" -> new SearchKey.HasFlag(Flag.FLAGGED);
            case "SEEN" -> new SearchKey.HasFlag(Flag.SEEN);
            case "RECENT" -> new SearchKey.HasFlag(Flag.RECENT);
            case "UNANSWERED" -> new SearchKey.LacksFlag(Flag.ANSWERED);
            case "UNDELETED" -> new SearchKey.LacksFlag(Flag.DELETED);
            case "UNDRAFT" -> new SearchKey.LacksFlag(Flag.DRAFT);
            case "UNFLAGGED" -> new SearchKey.LacksFlag(Flag.FLAGGED);
            case "UNSEEN" -> new SearchKey.LacksFlag(Flag.SEEN);
            case "OLD" -> new SearchKey.LacksFlag(Flag.RECENT);
            case "NEW" -> new SearchKey.And(List.of(new SearchKey.HasFlag(Flag.RECENT),
                    new SearchKey.LacksFlag(Flag.SEEN)));
            case "KEYWORD" -> new SearchKey.HasFlag(spKeyword());
            case "UNKEYWORD" -> new SearchKey.LacksFlag(spKeyword());
            case "BCC" -> new SearchKey.Header("Bcc", spSearchString(charset));
            case "CC" -> new SearchKey.Header("Cc", spSearchString(charset));
            case "FROM" -> new SearchKey.Header("From", spSearchString(charset));
            case "SUBJECT" -> new SearchKey.Header("Subject", spSearchString(charset));
            case "TO" -> new SearchKey.Header("To", spSearchString(charset));
            case "HEADER" -> {
                c.sp();
                String field = headerFieldName(c.astring());
                yield new SearchKey.Header(field, spSearchString(charset));
            }
            case "BODY" -> new SearchKey.Body(spSearchString(charset));
            case "TEXT" -> new SearchKey.Text(spSearchString(charset));
            case "BEFORE" -> dated(DateField.INTERNAL, Relation.BEFORE);
            case "ON" -> dated(DateField.INTERNAL, Relation.ON);
            case "SINCE" -> dated(DateField.INTERNAL, Relation.SINCE);
            case "SENTBEFORE" -> dated(DateField.SENT, Relation.BEFORE);
            case "SENTON" -> dated(DateField.SENT, Relation.ON);
            case "SENTSINCE" -> dated(DateField.SENT, Relation.SINCE);
            case "LARGER" -> {
                c.sp();
                yield new SearchKey.Larger(c.number(MAX_NUMBER64));
            }
            case "SMALLER" -> {
                c.sp();
                yield new SearchKey.Smaller(c.number(MAX_NUMBER64));
            }
            case "UID" -> new SearchKey.Uid(spSequenceSet());
            case "NOT" -> {
                c.sp();
                yield new SearchKey.Not(searchKey(charset, depth + 1));
            }
            case "OR" -> {
                c.sp();
                SearchKey left = searchKey(charset, depth + 1);
                c.sp();
                yield new SearchKey.Or(left, searchKey(charset, depth + 1));
            }
            case "MODSEQ" -> modSeq();
            default -> throw ImapParseException.bad("Unknown search key");
        };
    }

    /** MODSEQ [SP entry-name SP entry-type-req] SP mod-sequence-valzer (RFC 7162 §3.1.5). */
    private SearchKey modSeq() throws IOException {
        c.sp();
        SearchKey.ModSeqEntry entry = null;
        if (c.peek() == '"') {
            String name = text(c.string());
            if (!name.regionMatches(true, 0, "/flags/", 0, 7)) {
                throw ImapParseException.bad("MODSEQ entry name must be /flags/<flag>");
            }
            Flag flag = flag(name.substring(7), true);
            c.sp();
            SearchKey.EntryType type = switch (upper(c.atom())) {
                case "PRIV" -> SearchKey.EntryType.PRIV;
                case "SHARED" -> SearchKey.EntryType.SHARED;
                case "ALL" -> SearchKey.EntryType.ALL;
                default -> throw ImapParseException.bad("MODSEQ entry type must be priv, shared or all");
            };
            entry = new SearchKey.ModSeqEntry(flag, type);
            c.sp();
        }
        return new SearchKey.ModSeq(Optional.ofNullable(entry), c.number(MAX_NUMBER64));
    }

    private SearchKey dated(DateField field, Relation relation) throws IOException {
        c.sp();
        String text = c.peek() == '"' ? text(c.string()) : c.atom();
        return new SearchKey.Dated(field, relation, date(text));
    }

    private String spSearchString(Charset charset) throws IOException {
        c.sp();
        byte[] bytes = c.astring();
        if (charset.equals(StandardCharsets.UTF_8)) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                // Angus/JavaMail 2.0 sends ISO-8859-1 even after ENABLE UTF8=ACCEPT: search for what the user typed
                return new String(bytes, StandardCharsets.ISO_8859_1);
            }
        }
        return new String(bytes, charset);
    }

    private Flag spKeyword() {
        c.sp();
        return new Flag(c.atom());
    }

    // ---- selected: FETCH, STORE

    /** FETCH sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")") [modifiers]. */
    private ImapCommand fetch(boolean uid) throws IOException {
        SequenceSet set = spSequenceSet();
        c.sp();
        List<FetchItem> items = new ArrayList<>();
        if (c.peek() == '(') {
            c.skip();
            do {
                items.add(fetchItem());
            } while (spaceInList());
            c.expect(')');
        } else if (c.keyword("ALL")) {
            items.addAll(FetchItem.ALL);
        } else if (c.keyword("FAST")) {
            items.addAll(FetchItem.FAST);
        } else if (c.keyword("FULL")) {
            items.addAll(FetchItem.FULL);
        } else {
            items.add(fetchItem());
        }
        OptionalLong changedSince = OptionalLong.empty();
        boolean vanished = false;
        if (c.spaceThenMore()) {
            // RFC 4466 §2.4 fetch-modifiers; RFC 7162 §3.1.4 CHANGEDSINCE, §3.2.6 VANISHED
            c.expect('(');
            do {
                String modifier = upper(c.atom());
                if (modifier.equals("CHANGEDSINCE") && changedSince.isEmpty()) {
                    c.sp();
                    changedSince = OptionalLong.of(c.nzNumber(MAX_NUMBER64));
                } else if (modifier.equals("VANISHED") && !vanished) {
                    vanished = true;
                } else {
                    throw ImapParseException.bad("Unknown or repeated FETCH modifier");
                }
            } while (spaceInList());
            c.expect(')');
        }
        if (vanished && (!uid || changedSince.isEmpty())) {
            throw ImapParseException.bad("VANISHED needs UID FETCH and CHANGEDSINCE");
        }
        return new ImapCommand.Fetch(tag, uid, set, items, changedSince, vanished);
    }

    private FetchItem fetchItem() throws IOException {
        String name = upper(c.itemName());
        return switch (name) {
            case "ENVELOPE" -> FetchItem.Simple.ENVELOPE;
            case "FLAGS" -> FetchItem.Simple.FLAGS;
            case "INTERNALDATE" -> FetchItem.Simple.INTERNALDATE;
            case "UID" -> FetchItem.Simple.UID;
            case "MODSEQ" -> FetchItem.Simple.MODSEQ;
            case "RFC822" -> FetchItem.Simple.RFC822;
            case "RFC822.SIZE" -> FetchItem.Simple.RFC822_SIZE;
            case "RFC822.HEADER" -> FetchItem.Simple.RFC822_HEADER;
            case "RFC822.TEXT" -> FetchItem.Simple.RFC822_TEXT;
            case "BODYSTRUCTURE" -> FetchItem.Simple.BODYSTRUCTURE;
            case "BODY" -> c.peek() == '['
                    ? new FetchItem.BodySection(section(), false, partial())
                    : FetchItem.Simple.BODY;
            case "BODY.PEEK" -> new FetchItem.BodySection(section(), true, partial());
            case "BINARY", "BINARY.PEEK" -> {
                List<Integer> part = binarySection();
                yield new FetchItem.Binary(part, name.equals("BINARY.PEEK"), partial());
            }
            case "BINARY.SIZE" -> new FetchItem.BinarySize(binarySection());
            case "PREVIEW" -> {
                // RFC 8970 §3: PREVIEW [SP "(" "LAZY" ")"]; told apart from fetch modifiers by the word LAZY
                boolean lazy = c.lookingAt(" (LAZY)");
                if (lazy) {
                    for (int i = 0; i < " (LAZY)".length(); i++) {
                        c.skip();
                    }
                }
                yield new FetchItem.Preview(lazy);
            }
            default -> throw ImapParseException.bad("Unknown FETCH item");
        };
    }

    /** section = "[" [section-spec] "]" (RFC 9051 §9). */
    private Section section() throws IOException {
        c.expect('[');
        List<Integer> part = new ArrayList<>();
        Section.Kind kind = Section.Kind.CONTENT;
        List<String> fields = List.of();
        if (c.peek() >= '0' && c.peek() <= '9') {
            part.add(partNumber());
            while (c.peek() == '.' && c.peek(1) >= '0' && c.peek(1) <= '9') {
                c.skip();
                part.add(partNumber());
            }
            if (c.peek() == '.') {
                c.skip();
                kind = sectionText(true);
            }
        } else if (c.peek() != ']') {
            kind = sectionText(false);
        }
        if (kind == Section.Kind.HEADER_FIELDS || kind == Section.Kind.HEADER_FIELDS_NOT) {
            c.sp();
            fields = headerList();
        }
        c.expect(']');
        return new Section(part, kind, fields);
    }

    private Section.Kind sectionText(boolean afterPart) {
        String text = upper(c.itemName());
        return switch (text) {
            case "HEADER" -> Section.Kind.HEADER;
            case "HEADER.FIELDS" -> Section.Kind.HEADER_FIELDS;
            case "HEADER.FIELDS.NOT" -> Section.Kind.HEADER_FIELDS_NOT;
            case "TEXT" -> Section.Kind.TEXT;
            case "MIME" -> {
                if (!afterPart) {
                    throw ImapParseException.bad("MIME needs a part number");
                }
                yield Section.Kind.MIME;
            }
            default -> throw ImapParseException.bad("Invalid section");
        };
    }

    /** header-list = "(" header-fld-name *(SP header-fld-name) ")". */
    private List<String> headerList() throws IOException {
        c.expect('(');
        List<String> fields = new ArrayList<>();
        do {
            fields.add(headerFieldName(c.astring()));
        } while (spaceInList());
        c.expect(')');
        return fields;
    }

    /** section-binary = "[" [section-part] "]" (RFC 3516 §4.1). */
    private List<Integer> binarySection() {
        c.expect('[');
        List<Integer> part = new ArrayList<>();
        if (c.peek() != ']') {
            part.add(partNumber());
            while (c.peek() == '.') {
                c.skip();
                part.add(partNumber());
            }
        }
        c.expect(']');
        return part;
    }

    private int partNumber() {
        return (int) c.nzNumber(Integer.MAX_VALUE);
    }

    /** partial = "&lt;" number64 "." nz-number64 "&gt;". */
    private Optional<FetchItem.Partial> partial() {
        if (c.peek() != '<') {
            return Optional.empty();
        }
        c.skip();
        long offset = c.number(MAX_NUMBER64);
        c.expect('.');
        long length = c.nzNumber(MAX_NUMBER64);
        c.expect('>');
        return Optional.of(new FetchItem.Partial(offset, length));
    }

    /**
     * STORE sequence-set [SP "(" "UNCHANGEDSINCE" SP mod-sequence-valzer ")"] SP ["+" / "-"] "FLAGS" [".SILENT"]
     * SP (flag-list / flag *(SP flag)) (RFC 3501 §6.4.6, RFC 7162 §3.1.3).
     */
    private ImapCommand store(boolean uid) throws IOException {
        SequenceSet set = spSequenceSet();
        c.sp();
        OptionalLong unchangedSince = OptionalLong.empty();
        if (c.peek() == '(') {
            c.skip();
            do {
                String modifier = upper(c.atom());
                if (!modifier.equals("UNCHANGEDSINCE") || unchangedSince.isPresent()) {
                    throw ImapParseException.bad("Unknown or repeated STORE modifier");
                }
                c.sp();
                unchangedSince = OptionalLong.of(c.number(MAX_NUMBER64));
            } while (spaceInList());
            c.expect(')');
            c.sp();
        }
        StoreMode mode = StoreMode.REPLACE;
        if (c.peek() == '+') {
            mode = StoreMode.ADD;
            c.skip();
        } else if (c.peek() == '-') {
            mode = StoreMode.REMOVE;
            c.skip();
        }
        boolean silent = switch (upper(c.atom())) {
            case "FLAGS" -> false;
            case "FLAGS.SILENT" -> true;
            default -> throw ImapParseException.bad("Expected FLAGS, +FLAGS or -FLAGS");
        };
        c.sp();
        List<Flag> flags;
        if (c.peek() == '(') {
            flags = flagList();
        } else {
            flags = new ArrayList<>();
            flags.add(flag());
            while (c.spaceThenMore()) {
                flags.add(flag());
            }
        }
        return new ImapCommand.Store(tag, uid, set, unchangedSince, mode, silent, distinct(flags));
    }

    /** flag-list = "(" [flag *(SP flag)] ")". */
    private List<Flag> flagList() {
        c.expect('(');
        List<Flag> flags = new ArrayList<>();
        if (c.peek() != ')') {
            do {
                flags.add(flag());
            } while (spaceInList());
        }
        c.expect(')');
        return distinct(flags);
    }

    /** A flag a client may set: a keyword or one of the five settable system flags (not \Recent, RFC 3501 §9). */
    private Flag flag() {
        if (c.peek() == '\\') {
            c.skip();
            return flag("\\" + c.atom(), false);
        }
        return new Flag(c.atom());
    }

    private static Flag flag(String text, boolean recentAllowed) {
        Flag flag;
        try {
            flag = Flag.of(text);
        } catch (IllegalArgumentException e) {
            throw ImapParseException.bad("Invalid flag");
        }
        if (flag.isSystem() && !flag.isSettableSystemFlag() && !(recentAllowed && flag.equals(Flag.RECENT))) {
            throw ImapParseException.bad(flag.equals(Flag.RECENT) ? "\\Recent cannot be set" : "Unknown system flag");
        }
        return flag;
    }

    private static List<Flag> distinct(List<Flag> flags) {
        return flags.stream().distinct().toList();
    }

    // ---- shared pieces

    /** A SP inside a parenthesised list: true when another element follows, false before ")". */
    private boolean spaceInList() {
        if (c.peek() == ' ') {
            c.skip();
            return true;
        }
        return false;
    }

    private SequenceSet spSequenceSet() {
        c.sp();
        return sequenceSet(true);
    }

    private SequenceSet sequenceSet(boolean starAndSaved) {
        return SequenceSet.parse(c.sequenceToken(), limits.maxRanges(), starAndSaved, starAndSaved);
    }

    private String spMailbox() throws IOException {
        c.sp();
        return mailbox(c.astring());
    }

    /** mailbox = "INBOX" / astring, INBOX in any case meaning the inbox (RFC 3501 §5.1). */
    private String mailbox(byte[] raw) {
        String name = name(raw);
        return name.equalsIgnoreCase("INBOX") ? "INBOX" : name;
    }

    /**
     * A mailbox name or pattern as the client encodes it: modified UTF-7 (RFC 3501 §5.1.3), or UTF-8 once UTF8=ACCEPT
     * or IMAP4rev2 is enabled (RFC 6855 §3, RFC 9051 §5.1). Control characters are refused either way: they have no
     * place in a name and would be dangerous in replies and file names.
     */
    private String name(byte[] raw) {
        String name;
        if (utf8Names) {
            try {
                name = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                throw ImapParseException.bad("Mailbox name is not valid UTF-8");
            }
        } else {
            for (byte b : raw) {
                if (b < 0x20 || b > 0x7e) {
                    throw ImapParseException.bad("Mailbox name is not valid modified UTF-7");
                }
            }
            try {
                name = ModifiedUtf7.decode(new String(raw, StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                throw ImapParseException.bad("Mailbox name is not valid modified UTF-7");
            }
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                throw ImapParseException.bad("Mailbox name contains control characters");
            }
        }
        return name;
    }

    /** A header field name: printable US-ASCII but ":" (RFC 5322 §3.6.8). */
    private static String headerFieldName(byte[] raw) {
        if (raw.length == 0) {
            throw ImapParseException.bad("Empty header field name");
        }
        for (byte b : raw) {
            if (b < 33 || b > 126 || b == ':') {
                throw ImapParseException.bad("Invalid header field name");
            }
        }
        return new String(raw, StandardCharsets.US_ASCII);
    }

    /** Client text (user names, passwords, ID values) as UTF-8; malformed bytes become U+FFFD. */
    private static String text(byte[] raw) {
        return new String(raw, StandardCharsets.UTF_8);
    }

    private static String upper(String atom) {
        return atom.toUpperCase(Locale.ROOT);
    }

    /** date-text = date-day "-" date-month "-" date-year, e.g. 1-Feb-1994 (RFC 3501 §9). */
    static LocalDate date(String text) {
        int first = text.indexOf('-');
        int second = first < 0 ? -1 : text.indexOf('-', first + 1);
        if (first < 1 || first > 2 || second != first + 4 || text.length() != second + 5
                || !digits(text, 0, first) || !digits(text, second + 1, text.length())) {
            throw ImapParseException.bad("Invalid date (expected e.g. 1-Feb-1994)");
        }
        try {
            int day = Integer.parseInt(text.substring(0, first));
            int month = month(text.substring(first + 1, second));
            int year = Integer.parseInt(text.substring(second + 1));
            return LocalDate.of(year, month, day);
        } catch (NumberFormatException | DateTimeException e) {
            throw ImapParseException.bad("Invalid date (expected e.g. 1-Feb-1994)");
        }
    }

    /** date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE (RFC 3501 §9). */
    static OffsetDateTime dateTime(String text) {
        Matcher m = text.length() <= 32 ? DATE_TIME.matcher(text) : null;
        if (m == null || !m.matches()) {
            throw ImapParseException.bad("Invalid date-time (expected e.g. \"17-Jul-1996 02:44:25 -0700\")");
        }
        try {
            int day = Integer.parseInt(m.group(1).strip());
            int hours = Integer.parseInt(m.group(8));
            int minutes = Integer.parseInt(m.group(9));
            int sign = m.group(7).equals("-") ? -1 : 1;
            ZoneOffset zone = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
            return OffsetDateTime.of(Integer.parseInt(m.group(3)), month(m.group(2)), day,
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)), 0, zone);
        } catch (DateTimeException e) {
            throw ImapParseException.bad("Invalid date-time (expected e.g. \"17-Jul-1996 02:44:25 -0700\")");
        }
    }

    private static boolean digits(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int month(String name) {
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equalsIgnoreCase(name)) {
                return i + 1;
            }
        }
        throw new DateTimeException("no such month");
    }
}

package org.osprey.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.osprey.imap.parse.Parse.command;
import static org.osprey.imap.parse.Parse.utf8;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.osprey.imap.parse.ImapCommand.ListReturn;
import org.osprey.imap.parse.ImapCommand.ListSelect;

/**
 * Every command but SEARCH/SORT/THREAD and FETCH/STORE (which have their own tests), mostly with the examples from
 * the RFCs' own text: RFC 3501 §6 and §8, RFC 9051 §6, and the extension RFCs named in each test.
 */
class CommandParserTest {

    // ---- any state

    @Test
    void commandsWithoutArguments() {
        assertThat(command("abcd CAPABILITY")).isEqualTo(new ImapCommand.Capability("abcd"));
        assertThat(command("a002 NOOP")).isEqualTo(new ImapCommand.Noop("a002"));
        assertThat(command("A023 LOGOUT")).isEqualTo(new ImapCommand.Logout("A023"));
        assertThat(command("a002 STARTTLS")).isEqualTo(new ImapCommand.StartTls("a002"));
        assertThat(command("FXXZ CHECK")).isEqualTo(new ImapCommand.Check("FXXZ"));
        assertThat(command("A341 CLOSE")).isEqualTo(new ImapCommand.Close("A341"));
        assertThat(command("A202 EXPUNGE")).isEqualTo(new ImapCommand.Expunge("A202"));
        assertThat(command("A342 UNSELECT")).isEqualTo(new ImapCommand.Unselect("A342"));
        assertThat(command("A001 NAMESPACE")).isEqualTo(new ImapCommand.Namespace("A001"));
        assertThat(command("A002 IDLE")).isEqualTo(new ImapCommand.Idle("A002"));
    }

    @Test
    void commandNamesAreCaseInsensitiveAndTrailingSpacesAreTolerated() {
        assertThat(command("a006 logout")).isEqualTo(new ImapCommand.Logout("a006"));
        assertThat(command("x NoOp  ")).isEqualTo(new ImapCommand.Noop("x"));
    }

    @Test
    void tagsMayHoldAnyAstringCharacterButPlus() {
        assertThat(command("a.b-c]d_1 NOOP").tag()).isEqualTo("a.b-c]d_1");
    }

    @Test
    void nameGivesTheCompletionText() {
        assertThat(command("a UID FETCH 1 FLAGS").name()).isEqualTo("UID FETCH");
        assertThat(command("a EXAMINE INBOX").name()).isEqualTo("EXAMINE");
        assertThat(command("a UID EXPUNGE 1").name()).isEqualTo("UID EXPUNGE");
    }

    @Test
    void id() {
        // RFC 2971 §3.1 and §3.2
        assertThat(command("a023 ID (\"name\" \"sodr\" \"version\" \"19.34\" \"vendor\" \"Pink Floyd Music Limited\")"))
                .isEqualTo(new ImapCommand.Id("a023", Map.of("name", "sodr", "version", "19.34",
                        "vendor", "Pink Floyd Music Limited")));
        assertThat(command("a042 ID NIL")).isEqualTo(new ImapCommand.Id("a042", Map.of()));
        assertThat(command("a042 ID (\"name\" NIL \"os\" \"linux\")"))
                .isEqualTo(new ImapCommand.Id("a042", Map.of("os", "linux")));
    }

    // ---- not authenticated

    @Test
    void login() {
        assertThat(command("a001 LOGIN SMITH SESAME")).isEqualTo(new ImapCommand.Login("a001", "SMITH", "SESAME"));
        assertThat(command("a001 login mrc secret")).isEqualTo(new ImapCommand.Login("a001", "mrc", "secret"));
        assertThat(command("a LOGIN \"fred@example.org\" \"p\\\"w\\\\d\""))
                .isEqualTo(new ImapCommand.Login("a", "fred@example.org", "p\"w\\d"));
    }

    @Test
    void loginWithNonSynchronizingLiterals() {
        // RFC 7888 §3 example
        assertThat(command("A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\n"))
                .isEqualTo(new ImapCommand.Login("A001", "FRED FOOBAR", "fat man"));
    }

    @Test
    void loginKeepsThePasswordOutOfToString() {
        assertThat(command("a LOGIN bob hunter2").toString()).doesNotContain("hunter2").contains("bob");
        assertThat(command("a AUTHENTICATE PLAIN AGJvYgBodW50ZXIy").toString()).doesNotContain("AGJvYgBodW50ZXIy");
    }

    @Test
    void authenticate() {
        assertThat(command("A001 AUTHENTICATE GSSAPI"))
                .isEqualTo(new ImapCommand.Authenticate("A001", "GSSAPI", Optional.empty()));
        // RFC 4959 §3 SASL-IR
        assertThat(command("a01 authenticate plain dGVzdAB0ZXN0AHRlc3Q="))
                .isEqualTo(new ImapCommand.Authenticate("a01", "PLAIN", Optional.of("dGVzdAB0ZXN0AHRlc3Q=")));
        assertThat(command("a02 AUTHENTICATE EXTERNAL ="))
                .isEqualTo(new ImapCommand.Authenticate("a02", "EXTERNAL", Optional.of("")));
    }

    // ---- authenticated

    @Test
    void enable() {
        // RFC 5161 §4, RFC 7162 §3.2.3, RFC 6855 §3
        assertThat(command("t2 ENABLE CONDSTORE X-GOOD-IDEA"))
                .isEqualTo(new ImapCommand.Enable("t2", List.of("CONDSTORE", "X-GOOD-IDEA")));
        assertThat(command("A01 ENABLE QRESYNC")).isEqualTo(new ImapCommand.Enable("A01", List.of("QRESYNC")));
        assertThat(command("a ENABLE utf8=accept IMAP4rev2"))
                .isEqualTo(new ImapCommand.Enable("a", List.of("UTF8=ACCEPT", "IMAP4REV2")));
    }

    @Test
    void selectAndExamine() {
        assertThat(command("A142 SELECT INBOX"))
                .isEqualTo(new ImapCommand.Select("A142", "INBOX", false, false, Optional.empty()));
        assertThat(command("a002 select inbox"))
                .isEqualTo(new ImapCommand.Select("a002", "INBOX", false, false, Optional.empty()));
        assertThat(command("A932 EXAMINE blurdybloop"))
                .isEqualTo(new ImapCommand.Select("A932", "blurdybloop", true, false, Optional.empty()));
        // RFC 7162 §3.1.8
        assertThat(command("A160 SELECT INBOX (CONDSTORE)"))
                .isEqualTo(new ImapCommand.Select("A160", "INBOX", false, true, Optional.empty()));
    }

    @Test
    void selectWithQresync() {
        // RFC 7162 §3.2.5.2 examples
        assertThat(command("A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))"))
                .isEqualTo(new ImapCommand.Select("A02", "INBOX", false, false, Optional.of(new ImapCommand.Qresync(
                        67890007, 20050715194045000L, Optional.of(SequenceSet.parse("41,43:211,214:541", 100)),
                        Optional.empty(), Optional.empty()))));
        assertThat(command("B02 SELECT INBOX (QRESYNC (67890007 90060115194045000))"))
                .isEqualTo(new ImapCommand.Select("B02", "INBOX", false, false, Optional.of(new ImapCommand.Qresync(
                        67890007, 90060115194045000L, Optional.empty(), Optional.empty(), Optional.empty()))));
        var select = (ImapCommand.Select) command("B03 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 "
                + "(5000,7500,9000,9990:9999 15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,"
                + "29994,29997)))");
        var qresync = select.qresync().orElseThrow();
        assertThat(qresync.knownUids()).contains(SequenceSet.of(1, 29997));
        assertThat(qresync.knownSequenceNumbers()).contains(SequenceSet.parse("5000,7500,9000,9990:9999", 100));
        assertThat(qresync.knownSequenceUids().orElseThrow().ranges()).hasSize(13);
        assertThat(((ImapCommand.Select) command("a EXAMINE foo (CONDSTORE QRESYNC (1 2))")).condstore()).isTrue();
    }

    @Test
    void create() {
        assertThat(command("A003 CREATE owatagusiam/"))
                .isEqualTo(new ImapCommand.Create("A003", "owatagusiam/", List.of()));
        assertThat(command("A004 CREATE owatagusiam/blurdybloop"))
                .isEqualTo(new ImapCommand.Create("A004", "owatagusiam/blurdybloop", List.of()));
        // RFC 6154 §5.2 CREATE-SPECIAL-USE
        assertThat(command("t1 CREATE \"Everything\" (USE (\\All))"))
                .isEqualTo(new ImapCommand.Create("t1", "Everything", List.of("\\All")));
        assertThat(command("t2 CREATE Drafts (USE (\\drafts \\Junk))"))
                .isEqualTo(new ImapCommand.Create("t2", "Drafts", List.of("\\Drafts", "\\Junk")));
    }

    @Test
    void deleteRenameSubscribe() {
        assertThat(command("A682 DELETE blurdybloop")).isEqualTo(new ImapCommand.Delete("A682", "blurdybloop"));
        assertThat(command("A683 RENAME blurdybloop sarasoop"))
                .isEqualTo(new ImapCommand.Rename("A683", "blurdybloop", "sarasoop"));
        assertThat(command("A002 SUBSCRIBE #news.comp.mail.mime"))
                .isEqualTo(new ImapCommand.Subscribe("A002", "#news.comp.mail.mime"));
        assertThat(command("A002 UNSUBSCRIBE #news.comp.mail.mime"))
                .isEqualTo(new ImapCommand.Unsubscribe("A002", "#news.comp.mail.mime"));
    }

    @Test
    void inboxIsCaseInsensitiveOnlyAsAWholeName() {
        assertThat(command("a DELETE iNbOx")).isEqualTo(new ImapCommand.Delete("a", "INBOX"));
        assertThat(command("a DELETE inbox/Sub")).isEqualTo(new ImapCommand.Delete("a", "inbox/Sub"));
    }

    @Test
    void mailboxNamesAreDecodedFromModifiedUtf7() {
        // RFC 3501 §5.1.3
        assertThat(command("a SELECT \"~peter/mail/&U,BTFw-/&ZeVnLIqe-\""))
                .isEqualTo(new ImapCommand.Select("a", "~peter/mail/台北/日本語", false, false, Optional.empty()));
        assertThat(command("a CREATE Tom&-Jerry")).isEqualTo(new ImapCommand.Create("a", "Tom&Jerry", List.of()));
    }

    @Test
    void mailboxNamesAreUtf8OnceUtf8AcceptIsEnabled() {
        // RFC 6855 §3: the name is taken as it is, "&" included
        assertThat(utf8("a SELECT \"~peter/mail/台北/日本語\""))
                .isEqualTo(new ImapCommand.Select("a", "~peter/mail/台北/日本語", false, false, Optional.empty()));
        assertThat(utf8("a CREATE Tom&-Jerry")).isEqualTo(new ImapCommand.Create("a", "Tom&-Jerry", List.of()));
        byte[] name = "Entwürfe".getBytes(StandardCharsets.UTF_8);
        assertThat(utf8("a DELETE {" + name.length + "}\r\nEntwürfe\r\n"))
                .isEqualTo(new ImapCommand.Delete("a", "Entwürfe"));
    }

    @Test
    void list() {
        assertThat(command("A101 LIST \"\" \"\"")).isEqualTo(list("A101", "", List.of(""), Set.of(), Set.of(),
                List.of(), false));
        assertThat(command("A102 LIST #news.comp.mail.misc \"\"")).isEqualTo(list("A102", "#news.comp.mail.misc",
                List.of(""), Set.of(), Set.of(), List.of(), false));
        assertThat(command("A202 LIST ~/Mail/ %")).isEqualTo(list("A202", "~/Mail/", List.of("%"), Set.of(),
                Set.of(), List.of(), false));
        assertThat(command("a LIST \"\" *")).isEqualTo(list("a", "", List.of("*"), Set.of(), Set.of(), List.of(),
                false));
        assertThat(command("a LIST \"\" &U,BTFw-/%")).isEqualTo(list("a", "", List.of("台北/%"), Set.of(),
                Set.of(), List.of(), false));
    }

    @Test
    void listExtended() {
        // RFC 5258 §5 examples
        assertThat(command("A01 LIST \"\" (\"INBOX\" \"Drafts\" \"Sent/%\")")).isEqualTo(list("A01", "",
                List.of("INBOX", "Drafts", "Sent/%"), Set.of(), Set.of(), List.of(), true));
        assertThat(command("A02 LIST (SUBSCRIBED) \"\" \"*\"")).isEqualTo(list("A02", "", List.of("*"),
                Set.of(ListSelect.SUBSCRIBED), Set.of(), List.of(), true));
        assertThat(command("A03 LIST () \"\" \"%\" RETURN (CHILDREN)")).isEqualTo(list("A03", "", List.of("%"),
                Set.of(), Set.of(ListReturn.CHILDREN), List.of(), true));
        assertThat(command("A04 LIST (REMOTE) \"\" \"%\" RETURN (CHILDREN)")).isEqualTo(list("A04", "",
                List.of("%"), Set.of(ListSelect.REMOTE), Set.of(ListReturn.CHILDREN), List.of(), true));
        assertThat(command("A05 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\" RETURN (CHILDREN)")).isEqualTo(list(
                "A05", "", List.of("%"), Set.of(ListSelect.SUBSCRIBED, ListSelect.RECURSIVEMATCH),
                Set.of(ListReturn.CHILDREN), List.of(), true));
        // RFC 6154 §5.1, §5.3
        assertThat(command("t1 LIST \"\" \"%\" RETURN (SPECIAL-USE)")).isEqualTo(list("t1", "", List.of("%"),
                Set.of(), Set.of(ListReturn.SPECIAL_USE), List.of(), true));
        assertThat(command("t3 LIST (SPECIAL-USE) \"\" \"*\"")).isEqualTo(list("t3", "", List.of("*"),
                Set.of(ListSelect.SPECIAL_USE), Set.of(), List.of(), true));
        // RFC 5819 §3 LIST-STATUS
        assertThat(command("A01 LIST \"\" % RETURN (STATUS (MESSAGES UNSEEN))")).isEqualTo(list("A01", "",
                List.of("%"), Set.of(), Set.of(ListReturn.STATUS), List.of(StatusItem.MESSAGES, StatusItem.UNSEEN),
                true));
        assertThat(command("A02 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" % RETURN (CHILDREN STATUS (MESSAGES))"))
                .isEqualTo(list("A02", "", List.of("%"), Set.of(ListSelect.SUBSCRIBED, ListSelect.RECURSIVEMATCH),
                        Set.of(ListReturn.CHILDREN, ListReturn.STATUS), List.of(StatusItem.MESSAGES), true));
    }

    private static ImapCommand.ListMailboxes list(String tag, String reference, List<String> patterns,
            Set<ListSelect> selection, Set<ListReturn> returns, List<StatusItem> status, boolean extended) {
        return new ImapCommand.ListMailboxes(tag, reference, patterns, selection, returns, status, extended);
    }

    @Test
    void lsub() {
        assertThat(command("A002 LSUB \"#news.\" \"comp.mail.*\""))
                .isEqualTo(new ImapCommand.Lsub("A002", "#news.", "comp.mail.*"));
        assertThat(command("A003 LSUB \"#news.\" \"comp.%\""))
                .isEqualTo(new ImapCommand.Lsub("A003", "#news.", "comp.%"));
    }

    @Test
    void status() {
        assertThat(command("A042 STATUS blurdybloop (UIDNEXT MESSAGES)")).isEqualTo(new ImapCommand.Status("A042",
                "blurdybloop", List.of(StatusItem.UIDNEXT, StatusItem.MESSAGES)));
        // RFC 7162 §3.1.10, RFC 9051 §6.3.11 (SIZE, DELETED), RFC 7889 §3 (APPENDLIMIT)
        assertThat(command("A03 STATUS blurdybloop (UIDNEXT MESSAGES HIGHESTMODSEQ)")).isEqualTo(
                new ImapCommand.Status("A03", "blurdybloop", List.of(StatusItem.UIDNEXT, StatusItem.MESSAGES,
                        StatusItem.HIGHESTMODSEQ)));
        assertThat(command("a STATUS INBOX (size deleted recent uidvalidity unseen appendlimit)")).isEqualTo(
                new ImapCommand.Status("a", "INBOX", List.of(StatusItem.SIZE, StatusItem.DELETED, StatusItem.RECENT,
                        StatusItem.UIDVALIDITY, StatusItem.UNSEEN, StatusItem.APPENDLIMIT)));
    }

    /** RFC 3501 §6.3.11's message, exactly 310 octets. */
    static final String RFC3501_MESSAGE = """
            Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r
            From: Fred Foobar <foobar@Blurdybloop.COM>\r
            Subject: afternoon meeting\r
            To: mooch@owatagu.siam.edu\r
            Message-Id: <B27397-0100000@Blurdybloop.COM>\r
            MIME-Version: 1.0\r
            Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r
            \r
            Hello Joe, do you think we can meet at 3:30 tomorrow?\r
            """;

    @Test
    void append() throws Exception {
        assertThat(RFC3501_MESSAGE.length()).isEqualTo(310);
        var append = (ImapCommand.Append) command("A003 APPEND saved-messages (\\Seen) {310}\r\n"
                + RFC3501_MESSAGE + "\r\n");
        assertThat(append.tag()).isEqualTo("A003");
        assertThat(append.mailbox()).isEqualTo("saved-messages");
        assertThat(append.flags()).containsExactly(Flag.SEEN);
        assertThat(append.internalDate()).isEmpty();
        assertThat(append.binary()).isFalse();
        assertThat(new String(append.message().open().readAllBytes(), StandardCharsets.US_ASCII))
                .isEqualTo(RFC3501_MESSAGE);
    }

    @Test
    void appendWithFlagsAndDate() {
        var append = (ImapCommand.Append) command("A003 APPEND saved-messages (\\Seen $Forwarded \\flagged) "
                + "\"17-Jul-1996 02:44:25 -0700\" {5+}\r\nhello\r\n");
        assertThat(append.flags()).containsExactly(Flag.SEEN, new Flag("$Forwarded"), Flag.FLAGGED);
        assertThat(append.internalDate()).contains(
                OffsetDateTime.of(1996, 7, 17, 2, 44, 25, 0, ZoneOffset.ofHours(-7)));
        assertThat(append.message()).isEqualTo(new MessageData.InMemory("hello".getBytes(StandardCharsets.US_ASCII)));
        var spaced = (ImapCommand.Append) command("a APPEND INBOX \" 7-Jul-1996 02:44:25 +0130\" {1}\r\nx\r\n");
        assertThat(spaced.internalDate()).contains(
                OffsetDateTime.of(1996, 7, 7, 2, 44, 25, 0, ZoneOffset.ofHoursMinutes(1, 30)));
        var empty = (ImapCommand.Append) command("a APPEND INBOX () {1}\r\nx\r\n");
        assertThat(empty.flags()).isEmpty();
    }

    @Test
    void appendBinaryAndUtf8() throws Exception {
        // RFC 3516 §4.4: literal8, which may hold NUL
        var binary = (ImapCommand.Append) command("A003 APPEND Drafts (\\Seen $MDNSent) ~{3}\r\na\0b\r\n");
        assertThat(binary.binary()).isTrue();
        assertThat(binary.message().open().readAllBytes()).containsExactly('a', 0, 'b');
        // RFC 6855 §4
        var utf8 = (ImapCommand.Append) utf8("a APPEND INBOX UTF8 (~{4+}\r\nüü)\r\n");
        assertThat(utf8.utf8()).isTrue();
        assertThat(utf8.binary()).isTrue();
        assertThat(utf8.message().size()).isEqualTo(4);
    }

    @Test
    void quota() {
        // RFC 9208 §4.1
        assertThat(command("G0001 GETQUOTA \"!partition/sda4\""))
                .isEqualTo(new ImapCommand.GetQuota("G0001", "!partition/sda4"));
        assertThat(command("G0002 GETQUOTAROOT INBOX")).isEqualTo(new ImapCommand.GetQuotaRoot("G0002", "INBOX"));
        assertThat(command("S0000 SETQUOTA \"#user/alice\" (STORAGE 510)"))
                .isEqualTo(new ImapCommand.SetQuota("S0000", "#user/alice", Map.of("STORAGE", 510L)));
        assertThat(command("S0001 SETQUOTA \"\" (storage 100 MESSAGE 5)"))
                .isEqualTo(new ImapCommand.SetQuota("S0001", "", Map.of("STORAGE", 100L, "MESSAGE", 5L)));
        assertThat(command("S0002 SETQUOTA \"\" ()")).isEqualTo(new ImapCommand.SetQuota("S0002", "", Map.of()));
    }

    // ---- selected

    @Test
    void copyMoveExpunge() {
        assertThat(command("A003 COPY 2:4 MEETING"))
                .isEqualTo(new ImapCommand.Copy("A003", false, SequenceSet.of(2, 4), "MEETING"));
        // RFC 6851 §4.5
        assertThat(command("a UID MOVE 42:69 foo"))
                .isEqualTo(new ImapCommand.Move("a", true, SequenceSet.of(42, 69), "foo"));
        assertThat(command("a MOVE 1,3 \"Sent Items\""))
                .isEqualTo(new ImapCommand.Move("a", false, SequenceSet.parse("1,3", 10), "Sent Items"));
        // RFC 4315 §2.1
        assertThat(command("A003 UID EXPUNGE 3000:3002"))
                .isEqualTo(new ImapCommand.UidExpunge("A003", SequenceSet.of(3000, 3002)));
        // RFC 5182 §2.2: the saved search result
        assertThat(command("A302 UID COPY $ \"Other Messages\""))
                .isEqualTo(new ImapCommand.Copy("A302", true, SequenceSet.SAVED, "Other Messages"));
    }

    @Test
    void idleEndsWithDone() {
        assertThat(CommandReader.isDone(new org.osprey.core.net.Line("DONE".getBytes(), true))).isTrue();
        assertThat(CommandReader.isDone(new org.osprey.core.net.Line("done".getBytes(), true))).isTrue();
        assertThat(CommandReader.isDone(new org.osprey.core.net.Line("a1 NOOP".getBytes(), true))).isFalse();
    }

    @Test
    void rfc3501SampleSession() {
        // RFC 3501 §8
        assertThat(command("a001 login mrc secret")).isInstanceOf(ImapCommand.Login.class);
        assertThat(command("a002 select inbox")).isInstanceOf(ImapCommand.Select.class);
        assertThat(command("a003 fetch 12 full")).isEqualTo(new ImapCommand.Fetch("a003", false, SequenceSet.of(12),
                FetchItem.FULL, OptionalLong.empty(), false));
        assertThat(command("a004 fetch 12 body[header]")).isEqualTo(new ImapCommand.Fetch("a004", false,
                SequenceSet.of(12), List.of(new FetchItem.BodySection(new Section(List.of(), Section.Kind.HEADER,
                        List.of()), false, Optional.empty())), OptionalLong.empty(), false));
        assertThat(command("a005 store 12 +flags \\deleted")).isEqualTo(new ImapCommand.Store("a005", false,
                SequenceSet.of(12), OptionalLong.empty(), ImapCommand.StoreMode.ADD, false, List.of(Flag.DELETED)));
        assertThat(command("a006 logout")).isEqualTo(new ImapCommand.Logout("a006"));
    }
}

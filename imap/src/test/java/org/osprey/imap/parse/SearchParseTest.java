package org.osprey.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.osprey.imap.parse.Parse.command;
import static org.osprey.imap.parse.Parse.error;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osprey.imap.parse.ImapCommand.SearchReturn;
import org.osprey.imap.parse.ImapCommand.SortCriterion;
import org.osprey.imap.parse.ImapCommand.SortKey;
import org.osprey.imap.parse.SearchKey.And;
import org.osprey.imap.parse.SearchKey.DateField;
import org.osprey.imap.parse.SearchKey.Dated;
import org.osprey.imap.parse.SearchKey.HasFlag;
import org.osprey.imap.parse.SearchKey.Header;
import org.osprey.imap.parse.SearchKey.LacksFlag;
import org.osprey.imap.parse.SearchKey.Not;
import org.osprey.imap.parse.SearchKey.Or;
import org.osprey.imap.parse.SearchKey.Relation;

/** SEARCH (RFC 3501 §6.4.4, RFC 9051 §6.4.4, RFC 4731, RFC 5182, RFC 7162), SORT and THREAD (RFC 5256). */
class SearchParseTest {

    private static SearchKey key(String keys) {
        return ((ImapCommand.Search) command("a SEARCH " + keys)).key();
    }

    private static final SearchKey RFC_EXAMPLE = new And(List.of(new HasFlag(Flag.FLAGGED),
            new Dated(DateField.INTERNAL, Relation.SINCE, LocalDate.of(1994, 2, 1)),
            new Not(new Header("From", "Smith"))));

    @Test
    void rfc3501Examples() {
        assertThat(command("A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\""))
                .isEqualTo(new ImapCommand.Search("A282", false, Set.of(), RFC_EXAMPLE));
        assertThat(command("A283 SEARCH TEXT \"string not in mailbox\""))
                .isEqualTo(new ImapCommand.Search("A283", false, Set.of(),
                        new SearchKey.Text("string not in mailbox")));
    }

    @Test
    void charsetWithALiteral() {
        byte[] text = "日本".getBytes(StandardCharsets.UTF_8);
        assertThat(text).hasSize(6);
        assertThat(command("A284 SEARCH CHARSET UTF-8 TEXT {6}\r\n日本\r\n"))
                .isEqualTo(new ImapCommand.Search("A284", false, Set.of(), new SearchKey.Text("日本")));
        // the string is decoded from the named charset
        byte[] latin1 = "a SEARCH CHARSET ISO-8859-1 SUBJECT \"caf\u00e9\"\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(((ImapCommand.Search) CommandParser.parse(latin1, false)).key())
                .isEqualTo(new Header("Subject", "café"));
        assertThat(key("CHARSET \"US-ASCII\" ALL")).isEqualTo(new SearchKey.All());
    }

    @Test
    void latin1BytesSentAsUtf8AreReadAsLatin1() {
        // Angus Mail 2.0 enables UTF8=ACCEPT and then sends ISO-8859-1: searching for what the user typed beats
        // silently finding nothing
        byte[] angus = "a SEARCH BODY \"Gr\u00fc\u00dfe\"\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(((ImapCommand.Search) CommandParser.parse(angus, true)).key())
                .isEqualTo(new SearchKey.Body("Grüße"));
    }

    @Test
    void unknownCharsetIsNoBadcharsetNotBad() {
        ImapParseException e = error("a SEARCH CHARSET X-NO-SUCH-CHARSET ALL");
        assertThat(e.status()).isEqualTo(ImapParseException.Status.NO);
        assertThat(e.response()).isEqualTo("a NO [BADCHARSET (US-ASCII UTF-8)] Unsupported charset\r\n");
    }

    @Test
    void esearchReturnOptions() {
        // RFC 4731 §3.1 examples, RFC 5182 §2.4
        assertThat(command("A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\""))
                .isEqualTo(new ImapCommand.Search("A282", false, Set.of(SearchReturn.MIN, SearchReturn.COUNT),
                        RFC_EXAMPLE));
        assertThat(command("A283 SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\""))
                .isEqualTo(new ImapCommand.Search("A283", false, Set.of(SearchReturn.ALL), RFC_EXAMPLE));
        assertThat(command("A285 UID SEARCH RETURN (MIN MAX) 1:5000"))
                .isEqualTo(new ImapCommand.Search("A285", true, Set.of(SearchReturn.MIN, SearchReturn.MAX),
                        new SearchKey.Sequence(SequenceSet.of(1, 5000))));
        assertThat(command("A301 UID SEARCH RETURN (SAVE) SINCE 1-Jan-2004 NOT FROM \"Smith\" UID 443:557"))
                .isEqualTo(new ImapCommand.Search("A301", true, Set.of(SearchReturn.SAVE), new And(List.of(
                        new Dated(DateField.INTERNAL, Relation.SINCE, LocalDate.of(2004, 1, 1)),
                        new Not(new Header("From", "Smith")), new SearchKey.Uid(SequenceSet.of(443, 557))))));
        assertThat(command("a SEARCH RETURN (ALL SAVE) CHARSET UTF-8 UNSEEN"))
                .isEqualTo(new ImapCommand.Search("a", false, Set.of(SearchReturn.ALL, SearchReturn.SAVE),
                        new LacksFlag(Flag.SEEN)));
    }

    @Test
    void savedResultInSearch() {
        // RFC 5182 §2.1
        assertThat(key("$ SMALLER 4096")).isEqualTo(new And(List.of(new SearchKey.Sequence(SequenceSet.SAVED),
                new SearchKey.Smaller(4096))));
        assertThat(key("UID $")).isEqualTo(new SearchKey.Uid(SequenceSet.SAVED));
    }

    @ParameterizedTest
    @CsvSource({
            "ANSWERED, \\Answered, true", "DELETED, \\Deleted, true", "DRAFT, \\Draft, true",
            "FLAGGED, \\Flagged, true", "SEEN, \\Seen, true", "RECENT, \\Recent, true",
            "UNANSWERED, \\Answered, false", "UNDELETED, \\Deleted, false", "UNDRAFT, \\Draft, false",
            "UNFLAGGED, \\Flagged, false", "UNSEEN, \\Seen, false", "OLD, \\Recent, false",
            "KEYWORD $Forwarded, $Forwarded, true", "UNKEYWORD Junk, Junk, false"})
    void flagKeys(String search, String flag, boolean has) {
        assertThat(key(search)).isEqualTo(has ? new HasFlag(Flag.of(flag)) : new LacksFlag(Flag.of(flag)));
    }

    @Test
    void everyOtherKey() {
        assertThat(key("ALL")).isEqualTo(new SearchKey.All());
        assertThat(key("NEW")).isEqualTo(new And(List.of(new HasFlag(Flag.RECENT), new LacksFlag(Flag.SEEN))));
        assertThat(key("BCC a")).isEqualTo(new Header("Bcc", "a"));
        assertThat(key("CC a")).isEqualTo(new Header("Cc", "a"));
        assertThat(key("FROM a")).isEqualTo(new Header("From", "a"));
        assertThat(key("TO a")).isEqualTo(new Header("To", "a"));
        assertThat(key("SUBJECT \"a b\"")).isEqualTo(new Header("Subject", "a b"));
        assertThat(key("HEADER X-Spam-Flag YES")).isEqualTo(new Header("X-Spam-Flag", "YES"));
        assertThat(key("HEADER \"Message-ID\" \"\"")).isEqualTo(new Header("Message-ID", ""));
        assertThat(key("BODY lunch")).isEqualTo(new SearchKey.Body("lunch"));
        assertThat(key("TEXT lunch")).isEqualTo(new SearchKey.Text("lunch"));
        assertThat(key("BEFORE 1-Feb-1994")).isEqualTo(
                new Dated(DateField.INTERNAL, Relation.BEFORE, LocalDate.of(1994, 2, 1)));
        assertThat(key("ON \"31-dec-1999\"")).isEqualTo(
                new Dated(DateField.INTERNAL, Relation.ON, LocalDate.of(1999, 12, 31)));
        assertThat(key("SENTBEFORE 01-Jan-2000")).isEqualTo(
                new Dated(DateField.SENT, Relation.BEFORE, LocalDate.of(2000, 1, 1)));
        assertThat(key("SENTON 29-Feb-2024")).isEqualTo(
                new Dated(DateField.SENT, Relation.ON, LocalDate.of(2024, 2, 29)));
        assertThat(key("SENTSINCE 1-Feb-1994")).isEqualTo(
                new Dated(DateField.SENT, Relation.SINCE, LocalDate.of(1994, 2, 1)));
        assertThat(key("LARGER 10000000000")).isEqualTo(new SearchKey.Larger(10_000_000_000L));
        assertThat(key("SMALLER 0")).isEqualTo(new SearchKey.Smaller(0));
        assertThat(key("UID 1:*")).isEqualTo(new SearchKey.Uid(SequenceSet.of(1, SequenceSet.STAR)));
        assertThat(key("2,4:7,9,12:*")).isEqualTo(new SearchKey.Sequence(SequenceSet.parse("2,4:7,9,12:*", 10)));
    }

    @Test
    void nestedOrNotAndParentheses() {
        assertThat(key("OR (FROM alice SUBJECT lunch) NOT (SEEN OR DELETED DRAFT)")).isEqualTo(new Or(
                new And(List.of(new Header("From", "alice"), new Header("Subject", "lunch"))),
                new Not(new And(List.of(new HasFlag(Flag.SEEN),
                        new Or(new HasFlag(Flag.DELETED), new HasFlag(Flag.DRAFT)))))));
        assertThat(key("OR OR FROM a FROM b FROM c")).isEqualTo(new Or(
                new Or(new Header("From", "a"), new Header("From", "b")), new Header("From", "c")));
        assertThat(key("((ALL))")).isEqualTo(new SearchKey.All());
        assertThat(key("not not seen")).isEqualTo(new Not(new Not(new HasFlag(Flag.SEEN))));
    }

    @Test
    void modseq() {
        // RFC 7162 §3.1.5 examples
        assertThat(command("a SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338"))
                .isEqualTo(new ImapCommand.Search("a", false, Set.of(), new SearchKey.ModSeq(Optional.of(
                        new SearchKey.ModSeqEntry(Flag.DRAFT, SearchKey.EntryType.ALL)), 620162338)));
        assertThat(key("OR NOT MODSEQ 720162338 LARGER 50000")).isEqualTo(new Or(
                new Not(new SearchKey.ModSeq(Optional.empty(), 720162338)), new SearchKey.Larger(50000)));
        assertThat(key("MODSEQ \"/flags/$Junk\" priv 0")).isEqualTo(new SearchKey.ModSeq(Optional.of(
                new SearchKey.ModSeqEntry(new Flag("$Junk"), SearchKey.EntryType.PRIV)), 0));
    }

    @Test
    void sort() {
        // RFC 5256 §3 examples
        assertThat(command("A282 SORT (SUBJECT) UTF-8 SINCE 1-Feb-1994"))
                .isEqualTo(new ImapCommand.Sort("A282", false, List.of(new SortCriterion(SortKey.SUBJECT, false)),
                        new Dated(DateField.INTERNAL, Relation.SINCE, LocalDate.of(1994, 2, 1))));
        assertThat(command("A283 SORT (SUBJECT REVERSE DATE) UTF-8 ALL"))
                .isEqualTo(new ImapCommand.Sort("A283", false, List.of(new SortCriterion(SortKey.SUBJECT, false),
                        new SortCriterion(SortKey.DATE, true)), new SearchKey.All()));
        assertThat(command("A284 SORT (SUBJECT) US-ASCII TEXT \"not in mailbox\""))
                .isEqualTo(new ImapCommand.Sort("A284", false, List.of(new SortCriterion(SortKey.SUBJECT, false)),
                        new SearchKey.Text("not in mailbox")));
        assertThat(command("a UID SORT (ARRIVAL CC FROM SIZE TO REVERSE DISPLAYFROM) utf-8 UNSEEN UNDELETED"))
                .isEqualTo(new ImapCommand.Sort("a", true, List.of(new SortCriterion(SortKey.ARRIVAL, false),
                        new SortCriterion(SortKey.CC, false), new SortCriterion(SortKey.FROM, false),
                        new SortCriterion(SortKey.SIZE, false), new SortCriterion(SortKey.TO, false),
                        new SortCriterion(SortKey.DISPLAYFROM, true)),
                        new And(List.of(new LacksFlag(Flag.SEEN), new LacksFlag(Flag.DELETED)))));
    }

    @Test
    void thread() {
        // RFC 5256 §3 examples
        assertThat(command("A283 THREAD ORDEREDSUBJECT UTF-8 SINCE 5-MAR-2000"))
                .isEqualTo(new ImapCommand.Thread("A283", false, ImapCommand.ThreadAlgorithm.ORDEREDSUBJECT,
                        new Dated(DateField.INTERNAL, Relation.SINCE, LocalDate.of(2000, 3, 5))));
        assertThat(command("A284 THREAD ORDEREDSUBJECT US-ASCII TEXT \"gewp\""))
                .isEqualTo(new ImapCommand.Thread("A284", false, ImapCommand.ThreadAlgorithm.ORDEREDSUBJECT,
                        new SearchKey.Text("gewp")));
        assertThat(command("A285 UID THREAD REFERENCES US-ASCII ALL"))
                .isEqualTo(new ImapCommand.Thread("A285", true, ImapCommand.ThreadAlgorithm.REFERENCES,
                        new SearchKey.All()));
    }

    @Test
    void searchErrors() {
        assertThat(error("a SEARCH").reason()).isEqualTo("Missing argument");
        assertThat(error("a SEARCH FROB").reason()).isEqualTo("Unknown search key");
        assertThat(error("a SEARCH SINCE 30-Feb-1994").reason()).startsWith("Invalid date");
        assertThat(error("a SEARCH SINCE 1-Fbr-1994").reason()).startsWith("Invalid date");
        assertThat(error("a SEARCH SINCE +1-Feb-1994").reason()).startsWith("Invalid date");
        assertThat(error("a SEARCH OR SEEN").reason()).isEqualTo("Missing argument");
        assertThat(error("a SEARCH (SEEN").reason()).isEqualTo("Missing )");
        assertThat(error("a SEARCH SEEN)").reason()).isEqualTo("Unexpected characters at end of command");
        assertThat(error("a SEARCH ()").reason()).isEqualTo("Expected an atom");
        assertThat(error("a SEARCH KEYWORD \\Seen").reason()).isEqualTo("Expected an atom");
        assertThat(error("a SEARCH RETURN (BEST) ALL").reason()).isEqualTo("Unknown SEARCH return option");
        assertThat(error("a SEARCH HEADER \"Sub:ject\" x").reason()).isEqualTo("Invalid header field name");
        assertThat(error("a SEARCH MODSEQ \"/vendor/x\" all 1").reason()).startsWith("MODSEQ entry name");
        assertThat(error("a SORT () UTF-8 ALL").reason()).isEqualTo("Expected an atom");
        assertThat(error("a SORT (WEIGHT) UTF-8 ALL").reason()).isEqualTo("Unknown sort key");
        assertThat(error("a THREAD GUESS UTF-8 ALL").reason()).isEqualTo("Unknown thread algorithm");
        assertThat(error("a SEARCH TEXT \"unterminated").reason()).isEqualTo("Unterminated quoted string");
    }
}

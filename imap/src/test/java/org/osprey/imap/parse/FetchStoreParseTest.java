package org.osprey.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.osprey.imap.parse.Parse.command;
import static org.osprey.imap.parse.Parse.error;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.osprey.imap.parse.FetchItem.BodySection;
import org.osprey.imap.parse.FetchItem.Partial;
import org.osprey.imap.parse.FetchItem.Simple;
import org.osprey.imap.parse.ImapCommand.StoreMode;
import org.osprey.imap.parse.Section.Kind;

/** FETCH (RFC 3501 §6.4.5, RFC 3516, RFC 7162) and STORE (RFC 3501 §6.4.6, RFC 7162 §3.1.3). */
class FetchStoreParseTest {

    private static List<FetchItem> items(String items) {
        return ((ImapCommand.Fetch) command("a FETCH 1 " + items)).items();
    }

    private static BodySection body(Section section, boolean peek, Partial partial) {
        return new BodySection(section, peek, Optional.ofNullable(partial));
    }

    @Test
    void rfcExamples() {
        assertThat(command("A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])")).isEqualTo(
                new ImapCommand.Fetch("A654", false, SequenceSet.of(2, 4), List.of(Simple.FLAGS,
                        body(new Section(List.of(), Kind.HEADER_FIELDS, List.of("DATE", "FROM")), false, null)),
                        OptionalLong.empty(), false));
        assertThat(command("A999 UID FETCH 4827313:4828442 FLAGS")).isEqualTo(new ImapCommand.Fetch("A999", true,
                SequenceSet.of(4827313, 4828442), List.of(Simple.FLAGS), OptionalLong.empty(), false));
        // RFC 5182 §2.4
        assertThat(command("A283 FETCH $ (UID INTERNALDATE FLAGS RFC822.HEADER)")).isEqualTo(
                new ImapCommand.Fetch("A283", false, SequenceSet.SAVED, List.of(Simple.UID, Simple.INTERNALDATE,
                        Simple.FLAGS, Simple.RFC822_HEADER), OptionalLong.empty(), false));
    }

    @Test
    void macros() {
        assertThat(items("ALL")).isEqualTo(FetchItem.ALL);
        assertThat(items("fast")).isEqualTo(FetchItem.FAST);
        assertThat(items("FULL")).containsExactly(Simple.FLAGS, Simple.INTERNALDATE, Simple.RFC822_SIZE,
                Simple.ENVELOPE, Simple.BODY);
    }

    @Test
    void simpleItems() {
        assertThat(items("(ENVELOPE FLAGS INTERNALDATE RFC822 RFC822.HEADER RFC822.SIZE RFC822.TEXT BODY "
                + "BODYSTRUCTURE UID MODSEQ)")).containsExactly(Simple.ENVELOPE, Simple.FLAGS, Simple.INTERNALDATE,
                Simple.RFC822, Simple.RFC822_HEADER, Simple.RFC822_SIZE, Simple.RFC822_TEXT, Simple.BODY,
                Simple.BODYSTRUCTURE, Simple.UID, Simple.MODSEQ);
        assertThat(items("bodystructure")).containsExactly(Simple.BODYSTRUCTURE);
    }

    @Test
    void bodySections() {
        assertThat(items("BODY[]")).containsExactly(body(Section.ALL, false, null));
        assertThat(items("BODY.PEEK[]<0.2048>")).containsExactly(body(Section.ALL, true, new Partial(0, 2048)));
        assertThat(items("BODY[HEADER]")).containsExactly(
                body(new Section(List.of(), Kind.HEADER, List.of()), false, null));
        assertThat(items("BODY[TEXT]<100.50>")).containsExactly(
                body(new Section(List.of(), Kind.TEXT, List.of()), false, new Partial(100, 50)));
        assertThat(items("BODY[1]")).containsExactly(body(new Section(List.of(1), Kind.CONTENT, List.of()), false,
                null));
        assertThat(items("BODY.PEEK[1.2.3]")).containsExactly(
                body(new Section(List.of(1, 2, 3), Kind.CONTENT, List.of()), true, null));
        assertThat(items("BODY[4.2.MIME]")).containsExactly(
                body(new Section(List.of(4, 2), Kind.MIME, List.of()), false, null));
        assertThat(items("BODY[3.HEADER]")).containsExactly(
                body(new Section(List.of(3), Kind.HEADER, List.of()), false, null));
        assertThat(items("BODY[4.2.TEXT]")).containsExactly(
                body(new Section(List.of(4, 2), Kind.TEXT, List.of()), false, null));
        assertThat(items("(UID BODY.PEEK[HEADER.FIELDS.NOT (Received \"X-Spam\" {7}\r\nDKIM-Ok)] FLAGS)"))
                .containsExactly(Simple.UID, body(new Section(List.of(), Kind.HEADER_FIELDS_NOT,
                        List.of("Received", "X-Spam", "DKIM-Ok")), true, null), Simple.FLAGS);
        assertThat(items("body.peek[2.header.fields (to cc)]<0.1>")).containsExactly(body(new Section(List.of(2),
                Kind.HEADER_FIELDS, List.of("to", "cc")), true, new Partial(0, 1)));
    }

    @Test
    void sectionSpecRendersTheCanonicalForm() {
        assertThat(new Section(List.of(1, 2), Kind.HEADER_FIELDS, List.of("DATE", "FROM")).spec())
                .isEqualTo("1.2.HEADER.FIELDS (DATE FROM)");
        assertThat(Section.ALL.spec()).isEmpty();
        assertThat(new Section(List.of(3), Kind.CONTENT, List.of()).spec()).isEqualTo("3");
        assertThat(new Section(List.of(), Kind.TEXT, List.of()).spec()).isEqualTo("TEXT");
    }

    @Test
    void binary() {
        // RFC 3516 §4.2, §4.3
        assertThat(items("(BINARY.PEEK[1.1])")).containsExactly(
                new FetchItem.Binary(List.of(1, 1), true, Optional.empty()));
        assertThat(items("BINARY[2]<0.100>")).containsExactly(
                new FetchItem.Binary(List.of(2), false, Optional.of(new Partial(0, 100))));
        assertThat(items("BINARY[]")).containsExactly(new FetchItem.Binary(List.of(), false, Optional.empty()));
        assertThat(items("(BINARY.SIZE[1] UID)")).containsExactly(new FetchItem.BinarySize(List.of(1)), Simple.UID);
    }

    @Test
    void preview() {
        // RFC 8970 §3
        assertThat(items("(UID PREVIEW)")).containsExactly(Simple.UID, new FetchItem.Preview(false));
        assertThat(items("(PREVIEW (LAZY) UID)")).containsExactly(new FetchItem.Preview(true), Simple.UID);
        var fetch = (ImapCommand.Fetch) command("a FETCH 1 PREVIEW (CHANGEDSINCE 5)");
        assertThat(fetch.items()).containsExactly(new FetchItem.Preview(false));
        assertThat(fetch.changedSince()).hasValue(5);
    }

    @Test
    void condstoreAndQresyncModifiers() {
        // RFC 7162 §3.1.4.1 and §3.2.6 examples
        assertThat(command("s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)")).isEqualTo(new ImapCommand.Fetch(
                "s100", true, SequenceSet.of(1, SequenceSet.STAR), List.of(Simple.FLAGS), OptionalLong.of(12345),
                false));
        assertThat(command("s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)")).isEqualTo(
                new ImapCommand.Fetch("s100", true, SequenceSet.of(300, 500), List.of(Simple.FLAGS),
                        OptionalLong.of(12345), true));
        assertThat(command("a FETCH 1 MODSEQ (VANISHED CHANGEDSINCE 1)".replace("FETCH", "UID FETCH")))
                .isInstanceOf(ImapCommand.Fetch.class);
        assertThat(error("s100 FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)").reason())
                .isEqualTo("VANISHED needs UID FETCH and CHANGEDSINCE");
        assertThat(error("s100 UID FETCH 300:500 (FLAGS) (VANISHED)").reason())
                .isEqualTo("VANISHED needs UID FETCH and CHANGEDSINCE");
        assertThat(error("a FETCH 1 FLAGS (CHANGEDSINCE 0)").reason()).isEqualTo("Number must not be zero");
    }

    @Test
    void fetchErrors() {
        assertThat(error("a FETCH 1").reason()).isEqualTo("Missing argument");
        assertThat(error("a FETCH 1 (FLAGS").reason()).isEqualTo("Missing )");
        assertThat(error("a FETCH 1 FLAGS)").reason()).isEqualTo("Unexpected characters at end of command");
        assertThat(error("a FETCH 1 (ALL)").reason()).isEqualTo("Unknown FETCH item");
        assertThat(error("a FETCH 1 BODY.PEEK").reason()).isEqualTo("Expected [");
        assertThat(error("a FETCH 1 BODY[MIME]").reason()).isEqualTo("MIME needs a part number");
        assertThat(error("a FETCH 1 BODY[0]").reason()).isEqualTo("Number must not be zero");
        assertThat(error("a FETCH 1 BODY[HEADER.FIELDS ()]").reason()).isEqualTo("Expected a string");
        assertThat(error("a FETCH 1 BODY[HEADER.FIELDS]").reason()).isEqualTo("Expected a space");
        assertThat(error("a FETCH 1 BODY[]<5>").reason()).isEqualTo("Expected .");
        assertThat(error("a FETCH 1 BODY[]<0.0>").reason()).isEqualTo("Number must not be zero");
        assertThat(error("a FETCH 1 BODY[1.FOO]").reason()).isEqualTo("Invalid section");
        assertThat(error("a FETCH 1 (FLAGS) (CHANGEDSINCE 5 CHANGEDSINCE 6)").reason())
                .isEqualTo("Unknown or repeated FETCH modifier");
    }

    @Test
    void store() {
        assertThat(command("A003 STORE 2:4 +FLAGS (\\Deleted)")).isEqualTo(new ImapCommand.Store("A003", false,
                SequenceSet.of(2, 4), OptionalLong.empty(), StoreMode.ADD, false, List.of(Flag.DELETED)));
        assertThat(command("a STORE 1 FLAGS ()")).isEqualTo(new ImapCommand.Store("a", false, SequenceSet.of(1),
                OptionalLong.empty(), StoreMode.REPLACE, false, List.of()));
        assertThat(command("a STORE 1:* -FLAGS.SILENT \\Seen $Junk \\seen")).isEqualTo(new ImapCommand.Store("a",
                false, SequenceSet.of(1, SequenceSet.STAR), OptionalLong.empty(), StoreMode.REMOVE, true,
                List.of(Flag.SEEN, new Flag("$Junk"))));
        // RFC 7162 §3.1.3 examples
        assertThat(command("a103 UID STORE 6,4,8 (UNCHANGEDSINCE 12121230045) +FLAGS.SILENT (\\Deleted)"))
                .isEqualTo(new ImapCommand.Store("a103", true, SequenceSet.parse("6,4,8", 10),
                        OptionalLong.of(12121230045L), StoreMode.ADD, true, List.of(Flag.DELETED)));
        assertThat(command("a104 STORE 50 (UNCHANGEDSINCE 0) +FLAGS.SILENT (\\Seen)")).isEqualTo(
                new ImapCommand.Store("a104", false, SequenceSet.of(50), OptionalLong.of(0), StoreMode.ADD, true,
                        List.of(Flag.SEEN)));
        // RFC 5182 §2.4
        assertThat(command("A304 UID STORE $ +FLAGS.Silent (\\Deleted)")).isEqualTo(new ImapCommand.Store("A304",
                true, SequenceSet.SAVED, OptionalLong.empty(), StoreMode.ADD, true, List.of(Flag.DELETED)));
    }

    @Test
    void storeErrors() {
        assertThat(error("a STORE 1 +FLAGS (\\Recent)").reason()).isEqualTo("\\Recent cannot be set");
        assertThat(error("a STORE 1 +FLAGS (\\Bogus)").reason()).isEqualTo("Unknown system flag");
        assertThat(error("a STORE 1 +FLAGS (\\*)").reason()).isEqualTo("Expected an atom");
        assertThat(error("a STORE 1 +LABELS (x)").reason()).isEqualTo("Expected FLAGS, +FLAGS or -FLAGS");
        assertThat(error("a STORE 1 (UNCHANGEDSINCE 1 UNCHANGEDSINCE 2) FLAGS x").reason())
                .isEqualTo("Unknown or repeated STORE modifier");
        assertThat(error("a APPEND INBOX (\\Recent) {1}\r\nx").reason()).isEqualTo("\\Recent cannot be set");
    }
}

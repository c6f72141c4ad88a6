package org.osprey.imap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SELECT/EXAMINE responses and FETCH of every data item, on messages delivered through the store. */
class SelectFetchTest {
    static ImapStack stack;
    static final String MULTIPART = "From: Alice <alice@example.net>\r\nTo: john@example.org\r\n"
            + "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nDate: Tue, 3 Mar 2026 10:00:00 +0100\r\n"
            + "Message-ID: <mp@example.net>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "Hello =C3=BCber\r\n--b1\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Disposition: attachment; filename=\"a.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + "AAECAw==\r\n--b1--\r\n";

    @BeforeAll
    static void start() throws Exception {
        stack = ImapStack.start();
        stack.deliver("john", ImapStack.message("first", "Body one"));
        stack.deliver("john", MULTIPART);
        stack.deliver("john", ImapStack.message("third", "Body three\r\nsecond line"));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void selectReportsTheFolderState() throws Exception {
        try (ImapClient c = stack.login("john")) {
            ImapClient.Response r = c.command("EXAMINE INBOX");
            assertThat(r.untagged()).contains("* 3 EXISTS", "* OK [UNSEEN 1] First unseen",
                    "* OK [UIDNEXT 4] Predicted next UID", "* OK [PERMANENTFLAGS ()] Flags permitted");
            assertThat(r.line("FLAGS")).startsWith("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft");
            assertThat(r.line("OK [UIDVALIDITY")).matches("\\* OK \\[UIDVALIDITY \\d+] UIDs valid");
            assertThat(r.line("OK [HIGHESTMODSEQ")).isNotNull();
            assertThat(r.completion()).startsWith("OK [READ-ONLY]");
            ImapClient.Response s = c.command("SELECT INBOX");
            assertThat(s.completion()).startsWith("OK [READ-WRITE]");
            assertThat(s.line("OK [PERMANENTFLAGS")).contains("\\*");
            assertThat(c.command("SELECT Nowhere").completion()).startsWith("NO [NONEXISTENT]");
            assertThat(c.command("FETCH 1 FLAGS").completion()).startsWith("BAD");
        }
    }

    @Test
    void fetchFlagsSizeDateUidAndEnvelope() throws Exception {
        try (ImapClient c = stack.login("john")) {
            c.command("EXAMINE INBOX");
            ImapClient.Response r = c.command("FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)");
            assertThat(r.untagged()).hasSize(3);
            assertThat(r.untagged().getFirst()).matches(
                    "\\* 1 FETCH \\(UID 1 FLAGS \\(.*\\) RFC822.SIZE \\d+ INTERNALDATE \"\\d\\d-[A-Z][a-z]{2}-\\d{4}"
                            + " \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\"\\)");
            String envelope = c.command("FETCH 2 ENVELOPE").untagged().getFirst();
            assertThat(envelope).startsWith("* 2 FETCH (ENVELOPE (\"Tue, 3 Mar 2026 10:00:00 +0100\" "
                    + "\"=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\" ((\"Alice\" NIL \"alice\" \"example.net\"))")
                    .contains("\"<mp@example.net>\"");
            ImapClient.Response uid = c.command("UID FETCH 2:3 (FLAGS)");
            assertThat(uid.untagged()).containsExactly("* 2 FETCH (UID 2 FLAGS ())", "* 3 FETCH (UID 3 FLAGS ())");
            assertThat(c.command("UID FETCH 99 (FLAGS)").untagged()).isEmpty();
            assertThat(c.command("FETCH 4 (FLAGS)").completion()).startsWith("BAD");
        }
    }

    @Test
    void fetchBodyStructureAndSections() throws Exception {
        try (ImapClient c = stack.login("john")) {
            c.command("EXAMINE INBOX");
            String structure = c.command("FETCH 2 BODYSTRUCTURE").untagged().getFirst();
            assertThat(structure).contains("(\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\"")
                    .contains("\"mixed\"").contains("\"attachment\" (\"filename\" \"a.bin\")");
            String part = c.command("FETCH 2 BODY.PEEK[1]").untagged().getFirst();
            // the CRLF before a boundary belongs to the boundary (RFC 2046 §5.1.1)
            assertThat(part).isEqualTo("* 2 FETCH (BODY[1] {15}\r\nHello =C3=BCber)");
            String mime = c.command("FETCH 2 BODY.PEEK[2.MIME]").untagged().getFirst();
            assertThat(mime).contains("Content-Disposition: attachment");
            String binary = c.command("FETCH 2 (BINARY.SIZE[2] BINARY.PEEK[2])").untagged().getFirst();
            assertThat(binary).contains("BINARY.SIZE[2] 4").contains("BINARY[2] ~{4}\r\n\u0000\u0001\u0002\u0003");
            String fields = c.command("FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]").untagged().getFirst();
            assertThat(fields).isEqualTo("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: first\r\n\r\n)");
            String partial = c.command("FETCH 3 BODY.PEEK[TEXT]<5.5>").untagged().getFirst();
            assertThat(partial).isEqualTo("* 3 FETCH (BODY[TEXT]<5> {5}\r\nthree)");
        }
    }

    @Test
    void bodyFetchSetsSeenAndPeekDoesNot() throws Exception {
        stack.deliver("jane", ImapStack.message("seen-test", "text"));
        try (ImapClient c = stack.login("jane")) {
            c.command("SELECT INBOX");
            ImapClient.Response peek = c.command("FETCH 1 BODY.PEEK[]");
            assertThat(peek.untagged().getFirst()).doesNotContain("\\Seen");
            ImapClient.Response full = c.command("FETCH 1 BODY[]");
            assertThat(full.untagged().getFirst()).contains("Subject: seen-test").contains("FLAGS (\\Seen \\Recent)");
            assertThat(c.command("FETCH 1 FLAGS").untagged().getFirst()).contains("\\Seen");
            String whole = c.command("FETCH 1 (RFC822.SIZE BODY.PEEK[])").untagged().getFirst();
            int size = Integer.parseInt(whole.replaceAll("(?s).*RFC822.SIZE (\\d+).*", "$1"));
            int literal = Integer.parseInt(whole.replaceAll("(?s).*BODY\\[] \\{(\\d+)}.*", "$1"));
            assertThat(literal).isEqualTo(size);
        }
    }
}

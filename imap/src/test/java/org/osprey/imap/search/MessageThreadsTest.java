package org.osprey.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.imap.parse.CommandParser;
import org.osprey.imap.parse.ImapCommand;
import org.osprey.imap.parse.ImapCommand.ThreadAlgorithm;

class MessageThreadsTest {
    @TempDir
    Path home;

    TestMailbox box;

    @BeforeEach
    void open() throws IOException {
        HeaderSummary.clearCache();
        box = new TestMailbox(home);
    }

    @AfterEach
    void close() throws IOException {
        box.close();
    }

    /** A message sent on day {@code day} of March 2024, with optional threading headers. */
    long message(int day, String subject, String messageId, String references, String inReplyTo) throws IOException {
        StringBuilder m = new StringBuilder();
        m.append("From: someone@example.org\n");
        m.append("Subject: ").append(subject).append('\n');
        m.append("Date: ").append(day).append(" Mar 2024 10:00:00 +0000\n");
        if (messageId != null) {
            m.append("Message-ID: ").append(messageId).append('\n');
        }
        if (references != null) {
            m.append("References: ").append(references).append('\n');
        }
        if (inReplyTo != null) {
            m.append("In-Reply-To: ").append(inReplyTo).append('\n');
        }
        m.append("\nbody\n");
        return box.add(m.toString(), 0);
    }

    String thread(String algorithm, String search, boolean uids) throws IOException {
        byte[] line = ("a THREAD " + algorithm + " UTF-8 " + search + "\r\n").getBytes(StandardCharsets.UTF_8);
        var command = (ImapCommand.Thread) CommandParser.parse(line, false);
        int[] found = MessageSearch.search(command.key(), box.context());
        return MessageThreads.thread(command.algorithm(), found, box.context(), uids);
    }

    @Test
    void orderedSubjectGroupsByBaseSubjectAndOrdersByDate() throws Exception {
        message(1, "Hello", null, null, null);
        message(3, "Re: Hello", null, null, null);
        message(2, "Other", null, null, null);
        message(4, "hello", null, null, null);
        message(5, "Re: other", null, null, null);
        message(6, "[list] Fwd: Third", null, null, null);
        assertThat(thread("ORDEREDSUBJECT", "ALL", false)).isEqualTo("(1 (2)(4))(3 5)(6)");
        assertThat(thread("ORDEREDSUBJECT", "NOT 1", false)).isEqualTo("(3 5)(2 4)(6)");
        assertThat(thread("ORDEREDSUBJECT", "SUBJECT nothing", false)).isEmpty();
    }

    @Test
    void referencesWithMissingParentsDuplicatesAndSubjectGrouping() throws Exception {
        message(2, "Subject A", "<a@x>", null, null); // 1
        message(3, "Re: Subject A", "<b@x>", "<a@x>", "<a@x>"); // 2: reply to 1
        message(4, "Re: Subject A", "<c@x>", "<a@x> <b@x>", null); // 3: reply to 2
        message(5, "Re: Subject A", "<d@x>", "<a@x>", null); // 4: another reply to 1
        message(6, "Lost parent", "<e@x>", "<missing@x>", null); // 5: parent not in the folder
        message(7, "Re: Lost parent", "<f@x>", "<missing@x>", null); // 6: sibling of 5 under a dummy
        message(8, "Re: Subject A", "<g@x>", null, null); // 7: no references: grouped by subject
        message(9, "Re: Subject A", "<h@x>", null, "Your message <c@x> (of Monday)"); // 8: In-Reply-To only
        message(1, "Unrelated", null, "<zzz@x>", null); // 9: no Message-ID; its lone dummy parent is pruned
        message(10, "Subject A", "<a@x>", null, null); // 10: duplicate Message-ID, same subject as 1
        assertThat(thread("REFERENCES", "ALL", false))
                .isEqualTo("(9)((1 (2 3 8)(4)(7))(10))((5)(6))");
    }

    @Test
    void referencesOfOnlyTheSearchedMessagesAndByUid() throws Exception {
        long gone = message(1, "first", "<gone@x>", null, null);
        box.inbox.expunge(List.of(gone)); // UIDs now differ from sequence numbers
        long a = message(2, "Topic", "<a@x>", null, null);
        long b = message(3, "Re: Topic", "<b@x>", "<a@x>", null);
        long c = message(4, "Re: Topic", "<c@x>", "<a@x> <b@x>", null);
        long d = message(5, "Re: Topic", "<d@x>", "<a@x>", null);
        assertThat(thread("REFERENCES", "ALL", true)).isEqualTo("(" + a + " (" + b + " " + c + ")(" + d + "))");
        assertThat(thread("REFERENCES", "ALL", false)).isEqualTo("(1 (2 3)(4))");
        // without 1 and 2 their ids are dummies: 3 and 4 hang on a dummy root with two children
        assertThat(thread("REFERENCES", "3:4", false)).isEqualTo("((3)(4))");
        assertThat(thread("REFERENCES", "2:4", false)).isEqualTo("((2 3)(4))");
    }

    @Test
    void referenceLoopsAreNotCreated() throws Exception {
        message(1, "loop", "<a@x>", "<b@x>", null);
        message(2, "Re: loop", "<b@x>", "<a@x>", null);
        message(3, "self", "<s@x>", "<s@x>", null);
        assertThat(thread("REFERENCES", "ALL", false)).isEqualTo("(2 1)(3)");
    }

    @Test
    void truncatedReferencesDoNotMoveExistingParentsButTheLastOneWins() throws Exception {
        message(1, "t", "<a@x>", null, null);
        message(2, "Re: t", "<b@x>", "<a@x>", null);
        message(3, "Re: t", "<c@x>", "<b@x>", null); // truncated: a missing, b is still under a
        message(4, "Re: t", "<d@x>", "<a@x> <c@x>", null); // a before c: c keeps its parent b
        assertThat(thread("REFERENCES", "ALL", false)).isEqualTo("(1 2 3 4)");
    }

    @Test
    void theRfcExampleShapeIsWritten() throws Exception {
        // RFC 5256 §5: (3 6 (4 23)(44 7 96)) is 3 -> 6 -> {4 -> 23, 44 -> 7 -> 96}; here in small numbers
        message(1, "x", "<3@x>", null, null); // 1 plays 3
        message(2, "Re: x", "<6@x>", "<3@x>", null); // 2 plays 6
        message(3, "Re: x", "<4@x>", "<3@x> <6@x>", null); // 3 plays 4
        message(4, "Re: x", "<23@x>", "<3@x> <6@x> <4@x>", null); // 4 plays 23
        message(5, "Re: x", "<44@x>", "<3@x> <6@x>", null); // 5 plays 44
        message(6, "Re: x", "<7@x>", "<3@x> <6@x> <44@x>", null); // 6 plays 7
        message(7, "Re: x", "<96@x>", "<3@x> <6@x> <44@x> <7@x>", null); // 7 plays 96
        message(8, "other", "<2@x>", null, null);
        assertThat(thread("REFERENCES", "ALL", false)).isEqualTo("(1 2 (3 4)(5 6 7))(8)");
    }
}

package org.osprey.imap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CONDSTORE and QRESYNC (RFC 7162): MODSEQ, CHANGEDSINCE, UNCHANGEDSINCE, VANISHED. */
class CondstoreTest {
    static ImapStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = ImapStack.start();
        for (int i = 0; i < 5; i++) {
            stack.deliver("john", ImapStack.message("cs" + i, "x"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void modseqGrowsAndConditionalStoreRefusesNewerMessages() throws Exception {
        try (ImapClient c = stack.login("john")) {
            ImapClient.Response select = c.command("SELECT INBOX (CONDSTORE)");
            long highest = Long.parseLong(select.line("OK [HIGHESTMODSEQ").replaceAll("\\D+(\\d+).*", "$1"));
            ImapClient.Response store = c.command("STORE 1 +FLAGS (\\Seen)");
            assertThat(store.untagged().getFirst()).matches("\\* 1 FETCH \\(FLAGS \\(.*\\) MODSEQ \\(\\d+\\)\\)");
            long after = Long.parseLong(store.untagged().getFirst().replaceAll(".*MODSEQ \\((\\d+)\\).*", "$1"));
            assertThat(after).isGreaterThan(highest);
            ImapClient.Response changed = c.command("FETCH 1:* (FLAGS) (CHANGEDSINCE " + highest + ")");
            assertThat(changed.untagged()).hasSize(1);
            assertThat(changed.untagged().getFirst()).startsWith("* 1 FETCH");
            ImapClient.Response conditional = c.command("STORE 1,2 (UNCHANGEDSINCE " + highest + ") +FLAGS (\\Flagged)");
            assertThat(conditional.completion()).startsWith("OK [MODIFIED 1]");
        }
    }

    @Test
    void qresyncReportsVanishedMessagesAndChangedFlags() throws Exception {
        long validity;
        long modseq;
        try (ImapClient c = stack.login("john")) {
            c.command("ENABLE QRESYNC");
            ImapClient.Response select = c.command("SELECT INBOX");
            validity = Long.parseLong(select.line("OK [UIDVALIDITY").replaceAll("\\D+(\\d+).*", "$1"));
            modseq = Long.parseLong(select.line("OK [HIGHESTMODSEQ").replaceAll("\\D+(\\d+).*", "$1"));
            c.command("STORE 5 +FLAGS.SILENT (\\Deleted)");
            ImapClient.Response expunge = c.command("EXPUNGE");
            assertThat(expunge.untagged()).containsExactly("* VANISHED 5");
            assertThat(expunge.completion()).startsWith("OK [HIGHESTMODSEQ");
            c.command("STORE 4 +FLAGS.SILENT (\\Answered)");
        }
        try (ImapClient c = stack.login("john")) {
            assertThat(c.command("ENABLE QRESYNC").line("ENABLED")).isEqualTo("* ENABLED QRESYNC");
            ImapClient.Response select = c.command("SELECT INBOX (QRESYNC (" + validity + " " + modseq + " 1:5))");
            assertThat(select.untagged()).contains("* VANISHED (EARLIER) 5");
            assertThat(select.untagged()).anyMatch(l -> l.matches("\\* 4 FETCH \\(UID 4 FLAGS \\(\\\\Answered.*"));
            ImapClient.Response fetch = c.command("UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + modseq + " VANISHED)");
            assertThat(fetch.untagged()).contains("* VANISHED (EARLIER) 5");
        }
    }
}

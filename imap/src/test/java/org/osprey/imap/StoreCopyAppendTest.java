package org.osprey.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** STORE, EXPUNGE, UID EXPUNGE, CLOSE, COPY, MOVE, APPEND, with UIDPLUS codes and the quota. */
class StoreCopyAppendTest {
    static ImapStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = ImapStack.start();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void storeFlagsAndKeywordsAreKeptInTheFileNames() throws Exception {
        stack.deliver("john", "Store", ImapStack.message("s1", "x"));
        stack.deliver("john", "Store", ImapStack.message("s2", "y"));
        try (ImapClient c = stack.login("john")) {
            c.command("SELECT Store");
            ImapClient.Response r = c.command("STORE 1 +FLAGS (\\Flagged $Forwarded $Label1)");
            assertThat(r.untagged()).containsExactly("* 1 FETCH (FLAGS (\\Flagged \\Recent $Forwarded $Label1))");
            assertThat(c.command("STORE 1:2 +FLAGS.SILENT (\\Seen)").untagged()).isEmpty();
            assertThat(c.command("UID STORE 2 -FLAGS (\\Seen)").untagged())
                    .containsExactly("* 2 FETCH (UID 2 FLAGS (\\Recent))");
            assertThat(c.command("STORE 1 FLAGS (\\Bogus)").completion()).startsWith("BAD");
            try (Stream<java.nio.file.Path> files = Files.list(stack.maildir("john").resolve(".Store/cur"))) {
                assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(":2,FPSa"));
            }
            assertThat(Files.readString(stack.maildir("john").resolve(".Store/dovecot-keywords")))
                    .contains("$Label1").doesNotContain("$Forwarded"); // $Forwarded is the P flag, as in Dovecot
        }
    }

    @Test
    void expungeRemovesOnlyDeletedMessages() throws Exception {
        for (int i = 0; i < 4; i++) {
            stack.deliver("john", "Expunge", ImapStack.message("e" + i, "x"));
        }
        try (ImapClient c = stack.login("john")) {
            c.command("SELECT Expunge");
            c.command("STORE 2,4 +FLAGS.SILENT (\\Deleted)");
            ImapClient.Response r = c.command("EXPUNGE");
            assertThat(r.untagged()).containsExactly("* 4 EXPUNGE", "* 2 EXPUNGE");
            c.command("STORE 1:2 +FLAGS.SILENT (\\Deleted)");
            ImapClient.Response uid = c.command("UID EXPUNGE 3");
            assertThat(uid.untagged()).containsExactly("* 2 EXPUNGE");
            assertThat(c.command("CLOSE").ok()).isTrue();
            assertThat(c.command("STATUS Expunge (MESSAGES)").line("STATUS")).contains("MESSAGES 0");
        }
    }

    @Test
    void readOnlyFolderRefusesChanges() throws Exception {
        stack.deliver("john", "ReadOnly", ImapStack.message("r", "x"));
        try (ImapClient c = stack.login("john")) {
            c.command("EXAMINE ReadOnly");
            assertThat(c.command("STORE 1 +FLAGS (\\Seen)").completion()).startsWith("NO [READ-ONLY]");
            assertThat(c.command("EXPUNGE").completion()).startsWith("NO [READ-ONLY]");
            assertThat(c.command("FETCH 1 BODY[]").untagged().getFirst()).doesNotContain("\\Seen");
        }
    }

    @Test
    void copyAndMoveAnswerWithCopyUid() throws Exception {
        for (int i = 0; i < 3; i++) {
            stack.deliver("john", "Source", ImapStack.message("c" + i, "x"));
        }
        try (ImapClient c = stack.login("john")) {
            c.command("CREATE Target");
            c.command("SELECT Source");
            ImapClient.Response copy = c.command("COPY 1:2 Target");
            assertThat(copy.completion()).matches("OK \\[COPYUID \\d+ 1:2 1:2] COPY completed");
            assertThat(c.command("COPY 1 Nowhere").completion()).startsWith("NO [TRYCREATE]");
            ImapClient.Response move = c.command("UID MOVE 2:3 Target");
            assertThat(move.untagged().getFirst()).matches("\\* OK \\[COPYUID \\d+ 2:3 3:4] Moved");
            assertThat(move.untagged().subList(1, move.untagged().size())).containsExactly("* 3 EXPUNGE",
                    "* 2 EXPUNGE");
            assertThat(c.command("STATUS Target (MESSAGES)").line("STATUS")).contains("MESSAGES 4");
        }
    }

    @Test
    void appendStoresTheMessageWithFlagsAndDate() throws Exception {
        try (ImapClient c = stack.login("john")) {
            byte[] message = ImapStack.message("appended", "hello").getBytes(StandardCharsets.UTF_8);
            ImapClient.Response r = c.commandWithLiteral("APPEND Drafts (\\Draft \\Seen) \"14-Jul-2025 02:44:25 +0200\" ",
                    message, "");
            assertThat(r.completion()).matches("OK \\[APPENDUID \\d+ 1] APPEND completed");
            c.command("EXAMINE Drafts");
            String fetched = c.command("FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE)").untagged().getFirst();
            assertThat(fetched).contains("FLAGS (\\Seen \\Draft)").contains("INTERNALDATE \"14-Jul-2025")
                    .contains("RFC822.SIZE " + message.length);
            ImapClient.Response missing = c.commandWithLiteral("APPEND Nowhere ", message, "");
            assertThat(missing.completion()).startsWith("NO [TRYCREATE]");
        }
    }

    @Test
    void appendOverTheLimitOrQuotaIsRefusedBeforeTheLiteral() throws Exception {
        try (ImapClient c = stack.login("jane")) {
            String tag = c.nextTag();
            c.send(tag + " APPEND INBOX {" + (ImapStack.APPEND_LIMIT + 1) + "}\r\n");
            assertThat(c.readLine()).startsWith(tag + " NO [TOOBIG]");
            tag = c.nextTag();
            c.send(tag + " APPEND INBOX {" + (ImapStack.JANE_QUOTA + 1) + "}\r\n");
            assertThat(c.readLine()).startsWith(tag + " NO [OVERQUOTA]");
            assertThat(c.command("NOOP").ok()).isTrue();
        }
    }
}

package org.osprey.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LIST (with SPECIAL-USE, LIST-EXTENDED, LIST-STATUS), CREATE, DELETE, RENAME, SUBSCRIBE, LSUB, STATUS. */
class MailboxTest {
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
    void listShowsInboxAndTheDefaultFoldersWithSpecialUse() throws Exception {
        try (ImapClient c = stack.login("john")) {
            ImapClient.Response r = c.command("LIST \"\" \"*\"");
            assertThat(r.untagged()).contains(
                    "* LIST (\\HasNoChildren) \".\" \"INBOX\"",
                    "* LIST (\\HasNoChildren \\Drafts) \".\" \"Drafts\"",
                    "* LIST (\\HasNoChildren \\Sent) \".\" \"Sent\"",
                    "* LIST (\\HasNoChildren \\Junk) \".\" \"Junk\"",
                    "* LIST (\\HasNoChildren \\Trash) \".\" \"Trash\"");
            assertThat(c.command("LIST \"\" \"\"").untagged()).containsExactly("* LIST (\\Noselect) \".\" \"\"");
            ImapClient.Response special = c.command("LIST (SPECIAL-USE) \"\" \"*\"");
            assertThat(special.untagged()).hasSizeGreaterThanOrEqualTo(4).allMatch(l -> l.matches(
                    ".*\\\\(Drafts|Sent|Junk|Trash|Archive)\\).*"));
        }
    }

    @Test
    void createWithSpecialUseRenameAndDelete() throws Exception {
        try (ImapClient c = stack.login("john")) {
            assertThat(c.command("CREATE Archive (USE (\\Archive))").ok()).isTrue();
            assertThat(c.command("CREATE Archive").completion()).startsWith("NO [ALREADYEXISTS]");
            assertThat(c.command("CREATE Bad (USE (\\Bogus))").completion()).startsWith("NO [USEATTR]");
            assertThat(c.command("LIST \"\" Archive").untagged())
                    .containsExactly("* LIST (\\HasNoChildren \\Archive) \".\" \"Archive\"");
            assertThat(c.command("CREATE Projects.2026").ok()).isTrue();
            assertThat(c.command("LIST \"\" \"Projects%\"").untagged())
                    .containsExactly("* LIST (\\Noselect \\HasChildren) \".\" \"Projects\"");
            assertThat(c.command("LIST \"\" \"Projects.%\"").untagged())
                    .containsExactly("* LIST (\\HasNoChildren) \".\" \"Projects.2026\"");
            assertThat(c.command("RENAME Projects.2026 Done.2026").ok()).isTrue();
            assertThat(c.command("STATUS Done.2026 (MESSAGES)").line("STATUS")).contains("(MESSAGES 0)");
            assertThat(c.command("STATUS Projects.2026 (MESSAGES)").completion()).startsWith("NO [NONEXISTENT]");
            assertThat(c.command("DELETE Done.2026").ok()).isTrue();
            assertThat(c.command("DELETE Done.2026").completion()).startsWith("NO [NONEXISTENT]");
            assertThat(c.command("DELETE INBOX").completion()).startsWith("NO");
            assertThat(Files.exists(stack.maildir("john").resolve(".Archive/cur"))).isTrue();
        }
    }

    @Test
    void internationalNamesAreModifiedUtf7OnTheWireAndOnDisk() throws Exception {
        try (ImapClient c = stack.login("john")) {
            assertThat(c.command("CREATE \"Entw&APw-rfe\"").ok()).isTrue();
            assertThat(Files.isDirectory(stack.maildir("john").resolve(".Entw&APw-rfe"))).isTrue();
            assertThat(c.command("LIST \"\" \"Entw*\"").untagged())
                    .containsExactly("* LIST (\\HasNoChildren) \".\" \"Entw&APw-rfe\"");
            assertThat(c.command("ENABLE UTF8=ACCEPT").line("ENABLED")).isEqualTo("* ENABLED UTF8=ACCEPT");
            assertThat(c.command("LIST \"\" \"Entw*\"").untagged())
                    .containsExactly("* LIST (\\HasNoChildren) \".\" \"Entwürfe\"");
        }
    }

    @Test
    void subscriptionsAndListExtendedReturnOptions() throws Exception {
        try (ImapClient c = stack.login("john")) {
            assertThat(c.command("CREATE Lists").ok()).isTrue();
            assertThat(c.command("SUBSCRIBE Lists").ok()).isTrue();
            assertThat(c.command("LSUB \"\" \"*\"").untagged()).contains("* LSUB () \".\" \"Lists\"",
                    "* LSUB () \".\" \"Sent\"");
            ImapClient.Response sub = c.command("LIST (SUBSCRIBED) \"\" \"L*\"");
            assertThat(sub.untagged()).containsExactly("* LIST (\\Subscribed \\HasNoChildren) \".\" \"Lists\"");
            assertThat(c.command("UNSUBSCRIBE Lists").ok()).isTrue();
            assertThat(c.command("LIST (SUBSCRIBED) \"\" \"L*\"").untagged()).isEmpty();
            ImapClient.Response status = c.command("LIST \"\" \"INBOX\" RETURN (CHILDREN STATUS (MESSAGES UIDNEXT))");
            assertThat(status.untagged()).containsExactly("* LIST (\\HasNoChildren) \".\" \"INBOX\"",
                    status.untagged().get(1));
            assertThat(status.untagged().get(1)).matches("\\* STATUS \"INBOX\" \\(MESSAGES \\d+ UIDNEXT \\d+\\)");
        }
    }

    @Test
    void statusCountsMessagesUnseenAndSize() throws Exception {
        stack.deliver("jane", ImapStack.message("one", "first"));
        stack.deliver("jane", ImapStack.message("two", "second"));
        try (ImapClient c = stack.login("jane")) {
            String line = c.command("STATUS INBOX (MESSAGES UNSEEN RECENT UIDNEXT UIDVALIDITY SIZE DELETED"
                    + " HIGHESTMODSEQ APPENDLIMIT)").line("STATUS");
            assertThat(line).matches("\\* STATUS \"INBOX\" \\(MESSAGES 2 UNSEEN 2 RECENT 2 UIDNEXT 3 UIDVALIDITY \\d+"
                    + " SIZE \\d+ DELETED 0 HIGHESTMODSEQ \\d+ APPENDLIMIT " + ImapStack.APPEND_LIMIT + "\\)");
            assertThat(c.command("STATUS Nowhere (MESSAGES)").completion()).startsWith("NO [NONEXISTENT]");
        }
    }

    @Test
    void quotaRootAndQuota() throws Exception {
        try (ImapClient c = stack.login("jane")) {
            ImapClient.Response r = c.command("GETQUOTAROOT INBOX");
            assertThat(r.untagged().getFirst()).isEqualTo("* QUOTAROOT \"INBOX\" \"\"");
            assertThat(r.line("QUOTA ")).matches("\\* QUOTA \"\" \\(STORAGE \\d+ " + ImapStack.JANE_QUOTA / 1024
                    + "\\)");
            assertThat(c.command("GETQUOTA \"\"").line("QUOTA ")).startsWith("* QUOTA \"\" (STORAGE");
            assertThat(c.command("SETQUOTA \"\" (STORAGE 1)").completion()).startsWith("NO [NOPERM]");
        }
        try (ImapClient c = stack.login("john")) {
            assertThat(c.command("GETQUOTAROOT INBOX").untagged()).containsExactly("* QUOTAROOT \"INBOX\"");
        }
    }
}

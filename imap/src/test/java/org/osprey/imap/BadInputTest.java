package org.osprey.imap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Malformed commands get BAD and the session goes on; limits hold; too many errors end with BYE. */
class BadInputTest {
    static ImapStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = ImapStack.start();
        stack.deliver("john", ImapStack.message("bad-input", "x"));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void malformedCommandsAreBadAndTheSessionContinues() throws Exception {
        try (ImapClient c = stack.login("john")) {
            c.command("SELECT INBOX");
            assertThat(c.command("FETCH").completion()).startsWith("BAD");
            assertThat(c.command("FETCH 1 (FLAGS").completion()).startsWith("BAD");
            assertThat(c.command("BOGUS").completion()).startsWith("BAD");
            assertThat(c.command("FETCH 1 FLAGS").ok()).isTrue();
        }
    }

    @Test
    void deepNestingAndHugeSetsAreRefusedWithoutHarm() throws Exception {
        try (ImapClient c = stack.login("john")) {
            c.command("SELECT INBOX");
            String deep = "(".repeat(5000) + "ALL" + ")".repeat(5000);
            assertThat(c.command("SEARCH " + deep).completion()).startsWith("BAD");
            String manyRanges = "1,".repeat(20_000) + "1";
            assertThat(c.command("UID FETCH " + manyRanges + " FLAGS").completion()).startsWith("BAD");
            assertThat(c.command("UID FETCH 1:4294967295 FLAGS").ok()).isTrue();
            assertThat(c.command("NOOP").ok()).isTrue();
        }
    }

    @Test
    void anOverlongCommandIsRefusedAndTheConnectionClosedCleanly() throws Exception {
        try (ImapClient c = stack.login("john")) {
            c.send("x1 UID FETCH " + "1,".repeat(100_000) + "1 FLAGS\r\n");
            assertThat(c.readLine()).contains("BAD [TOOBIG]");
            assertThat(c.readLine()).startsWith("* BYE");
        }
        try (ImapClient c = stack.login("john")) {
            assertThat(c.command("NOOP").ok()).isTrue();
        }
    }

    @Test
    void tooManyErrorsEndTheSessionWithBye() throws Exception {
        try (ImapClient c = stack.login("john")) {
            String last = "";
            for (int i = 0; i < ImapStack.MAX_ERRORS; i++) {
                c.send("x" + i + " NONSENSE\r\n");
                last = c.readLine();
            }
            assertThat(last).startsWith("x" + (ImapStack.MAX_ERRORS - 1) + " BAD");
            assertThat(c.readLine()).startsWith("* BYE");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aCrlfInsideALiteralCannotForgeAResponse() throws Exception {
        try (ImapClient c = stack.login("john")) {
            ImapClient.Response r = c.commandWithLiteral("CREATE ", "x\r\na2 OK fake".getBytes(), "");
            assertThat(r.completion()).matches("(NO|BAD) .*");
            assertThat(r.untagged()).isEmpty();
            assertThat(c.command("NOOP").ok()).isTrue();
        }
    }
}

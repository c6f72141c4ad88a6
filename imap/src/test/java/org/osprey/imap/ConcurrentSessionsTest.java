package org.osprey.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Several sessions on one folder see each other's changes; IDLE wakes on a delivery within a second. */
class ConcurrentSessionsTest {
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
    void expungeAndFlagChangesReachTheOtherSession() throws Exception {
        for (int i = 0; i < 3; i++) {
            stack.deliver("john", "Shared", ImapStack.message("m" + i, "x"));
        }
        try (ImapClient a = stack.login("john"); ImapClient b = stack.login("john")) {
            a.command("SELECT Shared");
            b.command("SELECT Shared");
            a.command("STORE 2 +FLAGS.SILENT (\\Deleted)");
            assertThat(b.command("NOOP").untagged()).containsExactly("* 2 FETCH (UID 2 FLAGS (\\Deleted))");
            a.command("EXPUNGE");
            // no EXPUNGE during FETCH: numbers must not shift under the client's feet
            ImapClient.Response fetch = b.command("FETCH 1:3 (UID)");
            assertThat(fetch.untagged()).noneMatch(l -> l.contains("EXPUNGE"));
            assertThat(b.command("NOOP").untagged()).containsExactly("* 2 EXPUNGE");
            stack.deliver("john", "Shared", ImapStack.message("new", "x"));
            assertThat(b.command("NOOP").untagged()).contains("* 3 EXISTS");
            a.commandWithLiteral("APPEND Shared ", ImapStack.message("app", "y").getBytes(StandardCharsets.UTF_8), "");
            assertThat(b.command("NOOP").untagged()).contains("* 4 EXISTS");
        }
    }

    @Test
    void idleIsWokenByADeliveryWithinASecond() throws Exception {
        try (ImapClient c = stack.login("jane")) {
            c.command("SELECT INBOX");
            c.send("i1 IDLE\r\n");
            assertThat(c.readLine()).startsWith("+ ");
            long start = System.nanoTime();
            stack.deliver("jane", ImapStack.message("wake", "up"));
            String line = c.readLine();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(line).matches("\\* \\d+ EXISTS");
            assertThat(millis).isLessThan(1000);
            c.send("DONE\r\n");
            assertThat(c.readResponse("i1").completion()).startsWith("OK");
        }
    }

    @Test
    void idleSeesAnotherSessionsExpunge() throws Exception {
        stack.deliver("john", "IdleShared", ImapStack.message("gone", "x"));
        try (ImapClient idle = stack.login("john"); ImapClient other = stack.login("john")) {
            idle.command("SELECT IdleShared");
            other.command("SELECT IdleShared");
            idle.send("i1 IDLE\r\n");
            assertThat(idle.readLine()).startsWith("+ ");
            other.command("STORE 1 +FLAGS.SILENT (\\Deleted)");
            assertThat(idle.readLine()).isEqualTo("* 1 FETCH (UID 1 FLAGS (\\Deleted \\Recent))");
            other.command("EXPUNGE");
            assertThat(idle.readLine()).isEqualTo("* 1 EXPUNGE");
            idle.send("DONE\r\n");
            assertThat(idle.readResponse("i1").ok()).isTrue();
        }
    }
}

package org.osprey.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Maildir that Dovecot wrote is served with its UIDs, flags and keywords; files other programs add appear. */
class DovecotMaildirTest {
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
    void dovecotUidsFlagsAndKeywordsAreServedAndDroppedFilesAppear() throws Exception {
        Path folder = stack.maildir("john").resolve(".Migrated");
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(folder.resolve(sub));
        }
        Files.writeString(folder.resolve("dovecot-uidlist"), """
                3 V1275660208 N25022 G3085f01b7f11094c501100008c4a11c1
                25006 :1276528487.M364837P9451.kurkku,S=22,W=24:2,
                25017 :1276533073.M242911P3632.kurkku:2,Fa
                """);
        Files.writeString(folder.resolve("dovecot-keywords"), "0 Important\n");
        Files.writeString(folder.resolve("cur/1276528487.M364837P9451.kurkku,S=22,W=24:2,S"), "Subject: first\n\nbody\n");
        Files.writeString(folder.resolve("cur/1276533073.M242911P3632.kurkku:2,Fa"), "Subject: second\n\nb\n");
        try (ImapClient c = stack.login("john")) {
            ImapClient.Response select = c.command("SELECT Migrated");
            assertThat(select.untagged()).contains("* 2 EXISTS", "* OK [UIDVALIDITY 1275660208] UIDs valid",
                    "* OK [UIDNEXT 25022] Predicted next UID");
            assertThat(select.line("FLAGS")).contains("Important");
            assertThat(c.command("UID FETCH 1:* (FLAGS RFC822.SIZE)").untagged()).containsExactly(
                    "* 1 FETCH (UID 25006 FLAGS (\\Seen) RFC822.SIZE 24)",
                    "* 2 FETCH (UID 25017 FLAGS (\\Flagged Important) RFC822.SIZE 22)");
            Files.writeString(folder.resolve("new/1276600000.M5P5.other"), "Subject: dropped in\n\nby procmail\n");
            assertThat(c.command("NOOP").untagged()).contains("* 3 EXISTS");
            assertThat(c.command("UID FETCH 25022 BODY.PEEK[HEADER.FIELDS (SUBJECT)]").untagged().getFirst())
                    .contains("Subject: dropped in");
        }
    }
}

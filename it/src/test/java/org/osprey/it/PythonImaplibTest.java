package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python's imaplib over IMAP with STARTTLS (python_imaplib.py): six messages delivered by SMTP and one APPENDed
 * with flags and a 2020 date, then LOGIN, SELECT, FETCH (ENVELOPE, BODYSTRUCTURE, HEADER.FIELDS, partial BODY[]),
 * STORE, COPY, EXPUNGE, STATUS, GETQUOTAROOT, UID SEARCH with FROM/SUBJECT/SINCE/UNSEEN/OR/NOT and more, SORT and
 * THREAD, every answer parsed and compared with what those messages must give.
 */
class PythonImaplibTest {
    @TempDir
    static Path dir;
    static ImapTestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new ImapTestServer(dir).addUser("py@example.org", "imaplib-secret", "100M").start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.closeAndCheckLog();
        }
    }

    @Test
    void everydayCommandsGiveTheExpectedAnswers() throws Exception {
        String output = PythonScript.run(Duration.ofSeconds(120), "imap/python_imaplib.py",
                "--smtp", String.valueOf(server.smtpPort), "--imap", String.valueOf(server.imapPort),
                "--imaps", String.valueOf(server.imapsPort), "--cert", server.certificate().toString(),
                "--user", "py@example.org", "--password", "imaplib-secret");
        assertThat(output).contains("ok: THREAD REFERENCES").contains("ALL CHECKS PASSED").doesNotContain("FAILED");
    }
}

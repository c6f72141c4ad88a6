package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IMAP issue's "Done when", as a mail client does it: over IMAPS, and over IMAP with STARTTLS (where LOGIN is
 * refused before TLS), a user finds the special folders, reads a message that came by SMTP, flags it, makes an
 * Archive folder and moves the message there, finds it with SEARCH BODY, and sees a new delivery arrive while
 * IDLE. The client is Python's imaplib (thunderbird_like.py); the script checks every answer. One server for
 * both, one user each.
 */
class ThunderbirdLikeSessionTest {
    @TempDir
    static Path dir;
    static ImapTestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new ImapTestServer(dir)
                .addUser("tls@example.org", "pelican-1", "0")
                .addUser("starttls@example.org", "pelican-2", "0")
                .start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.closeAndCheckLog();
        }
    }

    @Test
    void overImaps() throws Exception {
        assertThat(session("imaps", "tls@example.org", "pelican-1")).contains("ALL CHECKS PASSED");
    }

    @Test
    void overImapWithStartTls() throws Exception {
        assertThat(session("starttls", "starttls@example.org", "pelican-2"))
                .contains("ok: LOGIN before STARTTLS refused with [PRIVACYREQUIRED]")
                .contains("ALL CHECKS PASSED");
    }

    private static String session(String mode, String user, String password) throws Exception {
        return PythonScript.run(Duration.ofSeconds(90), "imap/thunderbird_like.py",
                "--smtp", String.valueOf(server.smtpPort), "--imap", String.valueOf(server.imapPort),
                "--imaps", String.valueOf(server.imapsPort), "--cert", server.certificate().toString(),
                "--user", user, "--password", password, "--mode", mode);
    }
}

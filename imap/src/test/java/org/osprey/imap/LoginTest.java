package org.osprey.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Greeting, capabilities, STARTTLS, LOGIN and AUTHENTICATE over real sockets. */
class LoginTest {
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
    void clearTextPortOffersStartTlsAndDisablesLogin() throws Exception {
        try (ImapClient c = ImapClient.plain(stack.plainPort())) {
            assertThat(c.greeting).startsWith("* OK [CAPABILITY IMAP4rev1").contains("STARTTLS", "LOGINDISABLED")
                    .doesNotContain("AUTH=PLAIN");
            ImapClient.Response login = c.command("LOGIN john@example.org john-secret");
            assertThat(login.completion()).startsWith("NO [PRIVACYREQUIRED]");
            ImapClient.Response auth = c.command("AUTHENTICATE PLAIN " + plain("john@example.org", "john-secret"));
            assertThat(auth.completion()).startsWith("NO [PRIVACYREQUIRED]");
            assertThat(c.command("STARTTLS").completion()).startsWith("OK");
            c.startTls();
            ImapClient.Response caps = c.command("CAPABILITY");
            assertThat(caps.line("CAPABILITY")).contains("AUTH=PLAIN", "AUTH=LOGIN", "SASL-IR")
                    .doesNotContain("STARTTLS", "LOGINDISABLED");
            ImapClient.Response ok = c.command("LOGIN john@example.org john-secret");
            assertThat(ok.completion()).startsWith("OK [CAPABILITY IMAP4rev1").contains("IDLE", "UIDPLUS", "MOVE",
                    "CONDSTORE", "QRESYNC", "SPECIAL-USE", "LIST-STATUS", "APPENDLIMIT=" + ImapStack.APPEND_LIMIT);
        }
    }

    @Test
    void pipelinedCommandsAfterStartTlsAreDiscarded() throws Exception {
        try (ImapClient c = ImapClient.plain(stack.plainPort())) {
            c.send("a1 STARTTLS\r\na2 CAPABILITY\r\n");
            assertThat(c.readLine()).startsWith("a1 OK");
            c.startTls();
            ImapClient.Response r = c.command("NOOP");
            assertThat(r.untagged()).isEmpty();
            assertThat(r.ok()).isTrue();
        }
    }

    @Test
    void wrongPasswordAndDisabledAccountFail() throws Exception {
        try (ImapClient c = ImapClient.tls(stack.tlsPort())) {
            assertThat(c.command("LOGIN john@example.org wrong").completion())
                    .startsWith("NO [AUTHENTICATIONFAILED]");
            assertThat(c.command("LOGIN disabled@example.org disabled-secret").completion())
                    .startsWith("NO [AUTHENTICATIONFAILED]");
            assertThat(c.command("SELECT INBOX").completion()).startsWith("BAD");
            assertThat(c.command("LOGIN john@example.org john-secret").ok()).isTrue();
            assertThat(c.command("LOGIN john@example.org john-secret").completion()).startsWith("BAD");
        }
    }

    @Test
    void authenticatePlainWithInitialResponseAndLoginWithChallenges() throws Exception {
        try (ImapClient c = ImapClient.tls(stack.tlsPort())) {
            ImapClient.Response r = c.command("AUTHENTICATE PLAIN " + plain("john@example.org", "john-secret"));
            assertThat(r.completion()).startsWith("OK [CAPABILITY");
        }
        try (ImapClient c = ImapClient.tls(stack.tlsPort())) {
            c.send("x AUTHENTICATE LOGIN\r\n");
            assertThat(c.readLine()).isEqualTo("+ " + b64("Username:"));
            c.send(b64("john@example.org") + "\r\n");
            assertThat(c.readLine()).isEqualTo("+ " + b64("Password:"));
            c.send(b64("john-secret") + "\r\n");
            assertThat(c.readResponse("x").completion()).startsWith("OK");
        }
        try (ImapClient c = ImapClient.tls(stack.tlsPort())) {
            c.send("y AUTHENTICATE PLAIN\r\n");
            assertThat(c.readLine()).startsWith("+");
            c.send("*\r\n");
            assertThat(c.readResponse("y").completion()).startsWith("BAD");
            assertThat(c.command("NOOP").ok()).isTrue();
        }
    }

    @Test
    void idNamespaceAndLogout() throws Exception {
        try (ImapClient c = stack.login("john")) {
            assertThat(c.command("ID (\"name\" \"test\")").line("ID")).contains("\"name\" \"Osprey\"");
            assertThat(c.command("NAMESPACE").line("NAMESPACE")).isEqualTo("* NAMESPACE ((\"\" \".\")) NIL NIL");
            ImapClient.Response bye = c.command("LOGOUT");
            assertThat(bye.line("BYE")).isNotNull();
            assertThat(bye.ok()).isTrue();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    static String plain(String user, String password) {
        return b64("\0" + user + "\0" + password);
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}

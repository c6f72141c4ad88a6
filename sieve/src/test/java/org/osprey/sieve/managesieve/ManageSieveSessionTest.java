package org.osprey.sieve.managesieve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osprey.sieve.store.ScriptStore;

/** ManageSieve over real sockets with STARTTLS: every command, its refusals, and the framing rules. */
class ManageSieveSessionTest {
    static final String GREETING = """
            S: "IMPLEMENTATION" "Osprey ManageSieve"
            S: "SASL" ""
            S: "SIEVE" "fileinto reject envelope vacation imap4flags"
            S: "STARTTLS"
            S: "MAXREDIRECTS" "4"
            S: "UNAUTHENTICATE"
            S: "VERSION" "1.0"
            S: OK "Osprey ManageSieve ready."
            """;
    static final List<String> CAPABILITIES_AFTER_TLS = List.of(
            "\"IMPLEMENTATION\" \"Osprey ManageSieve\"",
            "\"SASL\" \"PLAIN LOGIN\"",
            "\"SIEVE\" \"fileinto reject envelope vacation imap4flags\"",
            "\"MAXREDIRECTS\" \"4\"",
            "\"UNAUTHENTICATE\"",
            "\"VERSION\" \"1.0\"");

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String plain(String user, String password) {
        return b64("\0" + user + "@example.org\0" + password);
    }

    @Test
    void capabilitiesAndStartTlsAndNothingBeforeIt() throws Exception {
        try (SieveStack stack = SieveStack.start(); SieveClient c = SieveClient.connect(stack.port())) {
            c.transcript(GREETING + """
                    C: AUTHENTICATE "PLAIN" "%s"
                    S: NO (ENCRYPT-NEEDED) "Authentication needs TLS; use STARTTLS first"
                    C: PUTSCRIPT "x" {8+}
                    C: LOGOUT
                    C:
                    S: NO "Authenticate first"
                    C: LISTSCRIPTS
                    S: NO "Authenticate first"
                    C: UNAUTHENTICATE
                    S: NO "Authenticate first"
                    """.formatted(plain("john", "john-secret")));
            List<String> afterTls = c.startTls();
            // RFC 5804 §2.2: the capabilities again, unasked; now with mechanisms and without STARTTLS
            assertThat(afterTls).containsExactlyElementsOf(concat(CAPABILITIES_AFTER_TLS,
                    "OK \"TLS negotiation successful.\""));
            assertThat(c.command("CAPABILITY")).containsExactlyElementsOf(concat(CAPABILITIES_AFTER_TLS,
                    "OK \"Capability completed.\""));
            c.transcript("""
                    C: STARTTLS
                    S: NO "TLS is already active"
                    C: AUTHENTICATE "PLAIN" "%s"
                    S: OK "Logged in."
                    C: CAPABILITY
                    S: "IMPLEMENTATION" "Osprey ManageSieve"
                    S: "SASL" "PLAIN LOGIN"
                    S: "SIEVE" "fileinto reject envelope vacation imap4flags"
                    S: "MAXREDIRECTS" "4"
                    S: "OWNER" "john@example.org"
                    S: "UNAUTHENTICATE"
                    S: "VERSION" "1.0"
                    S: OK "Capability completed."
                    C: LOGOUT
                    S: OK "Logout completed."
                    """.formatted(plain("john", "john-secret")));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void clearTextSentAheadOfTheTlsHandshakeIsThrownAway() throws Exception {
        try (SieveStack stack = SieveStack.start(); SieveClient c = SieveClient.connect(stack.port())) {
            c.response();
            c.send("STARTTLS\r\nNOOP \"injected\"\r\n");
            c.startTlsAfterOk();
            assertThat(c.command("NOOP \"real\"")).containsExactly("OK (TAG \"real\") \"Done\"");
        }
    }

    @Test
    void authenticateInEveryForm() throws Exception {
        try (SieveStack stack = SieveStack.start(); SieveClient c = SieveClient.connect(stack.port())) {
            c.response();
            c.startTls();
            String john = plain("john", "john-secret");
            c.transcript("""
                    C: AUTHENTICATE "PLAIN" {%d+}
                    C: %s
                    S: OK "Logged in."
                    C: AUTHENTICATE "PLAIN" "%s"
                    S: NO "Already authenticated"
                    C: UNAUTHENTICATE
                    S: OK "Unauthenticate completed."
                    C: LISTSCRIPTS
                    S: NO "Authenticate first"
                    C: AUTHENTICATE "PLAIN"
                    S: ""
                    C: "%s"
                    S: OK "Logged in."
                    C: UNAUTHENTICATE
                    S: OK "Unauthenticate completed."
                    C: AUTHENTICATE "LOGIN"
                    S: "VXNlcm5hbWU6"
                    C: {%d+}
                    C: %s
                    S: "UGFzc3dvcmQ6"
                    C: "%s"
                    S: OK "Logged in."
                    C: UNAUTHENTICATE
                    S: OK "Unauthenticate completed."
                    C: AUTHENTICATE "LOGIN"
                    S: "VXNlcm5hbWU6"
                    C: "*"
                    S: NO "Authentication cancelled"
                    C: AUTHENTICATE "PLAIN" "%s"
                    S: NO "Authentication failed."
                    C: AUTHENTICATE "CRAM-MD5"
                    S: NO "Unsupported authentication mechanism"
                    C: AUTHENTICATE "PLAIN" "!!!"
                    S: NO "Invalid base64 in SASL response"
                    C: AUTHENTICATE "PLAIN" "%s"
                    S: OK "Logged in."
                    C: PUTSCRIPT "jane's" "keep;"
                    S: OK "Putscript completed."
                    C: LISTSCRIPTS
                    S: "jane's"
                    S: OK "Listscripts completed."
                    """.formatted(john.length(), john, john, john,
                    b64("jane@example.org").length(), b64("jane@example.org"), b64("jane-secret"),
                    plain("john", "wrong"), plain("jane", "jane-secret")));
            assertThat(stack.store.list(SieveStack.address("jane"))).hasSize(1);
            assertThat(stack.store.list(SieveStack.address("john"))).isEmpty();
        }
    }

    @Test
    void scriptLifecycle() throws Exception {
        try (SieveStack stack = SieveStack.start(); SieveClient c = SieveClient.login(stack.port(), "john")) {
            c.transcript("""
                    C: LISTSCRIPTS
                    S: OK "Listscripts completed."
                    C: PUTSCRIPT "vacation" {39+}
                    C: require "vacation";
                    C: vacation "away";
                    C:
                    S: OK "Putscript completed."
                    C: PUTSCRIPT "spam" "keep;"
                    S: OK "Putscript completed."
                    C: PUTSCRIPT {4}
                    C: junk "discard;"
                    S: OK "Putscript completed."
                    C: LISTSCRIPTS
                    S: "junk"
                    S: "spam"
                    S: "vacation"
                    S: OK "Listscripts completed."
                    C: SETACTIVE "vacation"
                    S: OK "Setactive completed."
                    C: LISTSCRIPTS
                    S: "junk"
                    S: "spam"
                    S: "vacation" ACTIVE
                    S: OK "Listscripts completed."
                    C: GETSCRIPT "vacation"
                    S: {39}
                    S: require "vacation";
                    S: vacation "away";
                    S:
                    S: OK "Getscript completed."
                    C: DELETESCRIPT "vacation"
                    S: NO (ACTIVE) "The active script cannot be deleted"
                    C: GETSCRIPT "nothing"
                    S: NO (NONEXISTENT) "There is no script by that name"
                    C: RENAMESCRIPT "spam" "junk"
                    S: NO (ALREADYEXISTS) "A script by the new name already exists"
                    C: RENAMESCRIPT "vacation" "away"
                    S: OK "Renamescript completed."
                    C: RENAMESCRIPT "nothing" "other"
                    S: NO (NONEXISTENT) "There is no script by that name"
                    C: LISTSCRIPTS
                    S: "away" ACTIVE
                    S: "junk"
                    S: "spam"
                    S: OK "Listscripts completed."
                    C: HAVESPACE "big" 1000
                    S: OK "Putscript would succeed."
                    C: HAVESPACE "big" 999999
                    S: NO (QUOTA/MAXSIZE) "Script is too large (max 256 KiB)"
                    C: CHECKSCRIPT "keep;"
                    S: OK "Script is valid."
                    C: CHECKSCRIPT {13+}
                    C: syntax-error;
                    S: NO "line 3, column 5: unknown test \\"hedaer\\""
                    C: PUTSCRIPT "bad" "if syntax-error"
                    S: NO "line 3, column 5: unknown test \\"hedaer\\""
                    C: GETSCRIPT "bad"
                    S: NO (NONEXISTENT) "There is no script by that name"
                    C: PUTSCRIPT "../etc" "keep;"
                    S: NO "Script name contains \\"/\\""
                    C: SETACTIVE ""
                    S: OK "Deactivated."
                    C: DELETESCRIPT "away"
                    S: OK "Deletescript completed."
                    C: SETACTIVE "nothing"
                    S: NO (NONEXISTENT) "There is no script by that name"
                    C: NOOP
                    S: OK "Done"
                    C: NOOP "tag-1"
                    S: OK (TAG "tag-1") "Done"
                    C: LOGOUT
                    S: OK "Logout completed."
                    """);
            assertThat(c.closedByServer()).isTrue();
            Path home = stack.home("john");
            assertThat(home.resolve("sieve/junk.sieve")).hasContent("discard;");
            assertThat(home.resolve("sieve/spam.sieve")).hasContent("keep;");
            assertThat(home.resolve("sieve/away.sieve")).doesNotExist();
            assertThat(Files.exists(home.resolve(".dovecot.sieve"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        }
    }

    @Test
    void activationIsWhatADeliverySeesAndNonAsciiScriptsKeepTheirOctetCount() throws Exception {
        String script = "# Regeln f\u00fcr Spam \u2013 \u00e4\u00f6\u00fc\r\nkeep;\r\n";
        byte[] bytes = script.getBytes(StandardCharsets.UTF_8);
        try (SieveStack stack = SieveStack.start(); SieveClient c = SieveClient.login(stack.port(), "john");
             SieveClient other = SieveClient.login(stack.port(), "john")) {
            c.send(("PUTSCRIPT \"R\u00e9gles\" {" + bytes.length + "+}\r\n").getBytes(StandardCharsets.UTF_8));
            c.send(bytes);
            assertThat(c.command("")).containsExactly("OK \"Putscript completed.\"");
            // a second session of the same user sees it and activates it
            assertThat(other.command("SETACTIVE \"R\u00e9gles\"")).containsExactly("OK \"Setactive completed.\"");
            assertThat(stack.store.activeScript(SieveStack.address("john")))
                    .contains(new ScriptStore.ActiveScript("R\u00e9gles", script));
            assertThat(Files.readSymbolicLink(stack.home("john").resolve(".dovecot.sieve")))
                    .isEqualTo(Path.of("sieve/R\u00e9gles.sieve"));
            c.send("GETSCRIPT \"R\u00e9gles\"\r\n");
            assertThat(c.readLine()).isEqualTo("{" + bytes.length + "}");
            assertThat(c.readBytes(bytes.length)).isEqualTo(bytes);
            assertThat(c.readLine()).isEmpty();
            assertThat(c.readLine()).isEqualTo("OK \"Getscript completed.\"");
            assertThat(c.command("LISTSCRIPTS")).containsExactly("\"R\u00e9gles\" ACTIVE",
                    "OK \"Listscripts completed.\"");
        }
    }

    @Test
    void quotaRefusalsBeforeTheScriptIsRead() throws Exception {
        try (SieveStack stack = SieveStack.start(new ScriptStore.Limits(100, 2, 150), Duration.ofMinutes(5));
             SieveClient c = SieveClient.login(stack.port(), "john")) {
            String lookAlike = "C: DELETESCRIPT \"a\"\n".repeat(6); // 6 x 18 octets that look like commands
            c.transcript("""
                    C: PUTSCRIPT "a" {100+}
                    C: %s
                    C:
                    S: OK "Putscript completed."
                    C: PUTSCRIPT "b" {108+}
                    %sC:
                    S: NO (QUOTA/MAXSIZE) "Script is too large (max 100 octets)"
                    C: PUTSCRIPT "b" "%s"
                    S: NO (QUOTA) "Script storage is full (max 150 octets for all scripts)"
                    C: PUTSCRIPT "b" "%s"
                    S: OK "Putscript completed."
                    C: PUTSCRIPT "c" "x"
                    S: NO (QUOTA/MAXSCRIPTS) "Too many scripts (max 2)"
                    C: HAVESPACE "c" 1
                    S: NO (QUOTA/MAXSCRIPTS) "Too many scripts (max 2)"
                    C: HAVESPACE "b" 50
                    S: OK "Putscript would succeed."
                    C: HAVESPACE "b" 4294967295
                    S: NO (QUOTA/MAXSIZE) "Script is too large (max 100 octets)"
                    C: CHECKSCRIPT {101+}
                    C: %s
                    C:
                    S: NO (QUOTA/MAXSIZE) "Script is too large (max 100 octets)"
                    C: LISTSCRIPTS
                    S: "a"
                    S: "b"
                    S: OK "Listscripts completed."
                    """.formatted("#".repeat(98), lookAlike, "x".repeat(51), "x".repeat(50), "y".repeat(99)));
            assertThat(stack.store.get(SieveStack.address("john"), "a")).contains("#".repeat(98) + "\r\n");
        }
    }

    @Test
    void hostileInput() throws Exception {
        try (SieveStack stack = SieveStack.start(); SieveClient c = SieveClient.login(stack.port(), "john")) {
            c.transcript("""
                    C: NOOP {7+}
                    C: a
                    C: OK x
                    S: OK (TAG {7}
                    S: a
                    S: OK x) "Done"
                    C: PUTSCRIPT {9+}
                    C: bad
                    C: name "keep;"
                    S: NO "Script name contains a control character"
                    C: PUTSCRIPT "evil" {18+}
                    C: keep;
                    C: OK "fake"
                    C:
                    S: OK "Putscript completed."
                    C: GETSCRIPT "evil"
                    S: {18}
                    S: keep;
                    S: OK "fake"
                    S:
                    S: OK "Getscript completed."
                    C: GETSCRIPT "x" "y"
                    S: NO "Too many arguments for GETSCRIPT"
                    """);
            c.send("GETSCRIPT \"\u00ff\"\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(c.response()).containsExactly("NO \"The script name is not valid UTF-8\"");
            c.transcript("""
                    C: PUTSCRIPT "huge" {99999999+}
                    S: BYE "Literal too large"
                    """);
            assertThat(c.closedByServer()).isTrue();
        }
        try (SieveStack stack = SieveStack.start(); SieveClient c = SieveClient.connect(stack.port())) {
            c.response();
            c.send("NOOP \"" + "x".repeat(9000) + "\"\r\n");
            assertThat(c.response()).containsExactly("BYE \"Line too long\"");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void tooManyBadCommandsInARowEndTheSession() throws Exception {
        try (SieveStack stack = SieveStack.start(); SieveClient c = SieveClient.connect(stack.port())) {
            c.response();
            assertThat(c.command("FROB")).containsExactly("NO \"Unknown command\"");
            assertThat(c.command("NOOP")).containsExactly("OK \"Done\""); // a success starts the count again
            for (int i = 1; i < SieveStack.MAX_ERRORS; i++) {
                assertThat(c.command("FROB")).containsExactly("NO \"Unknown command\"");
            }
            c.send("GETSCRIPT \"x\"\r\n");
            assertThat(c.readLine()).isEqualTo("NO \"Authenticate first\"");
            assertThat(c.readLine()).isEqualTo("BYE \"Too many invalid commands\"");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void anIdleClientIsDisconnected() throws Exception {
        try (SieveStack stack = SieveStack.start(ScriptStore.Limits.DEFAULT, Duration.ofMillis(300));
             SieveClient c = SieveClient.connect(stack.port())) {
            c.response();
            assertThat(c.readLine()).isEqualTo("BYE \"Disconnected for inactivity\"");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void withPlaintextAllowedPasswordsAreOfferedWithoutTls() throws Exception {
        try (SieveStack stack = SieveStack.startPlaintextAllowed(); SieveClient c = SieveClient.connect(stack.port())) {
            assertThat(c.response()).contains("\"SASL\" \"PLAIN LOGIN\"", "\"STARTTLS\"");
            assertThat(c.command("AUTHENTICATE \"PLAIN\" \"" + plain("john", "john-secret") + "\""))
                    .containsExactly("OK \"Logged in.\"");
            assertThat(c.command("STARTTLS")).containsExactly("NO \"STARTTLS is only allowed before login\"");
        }
    }

    @Test
    void aShutdownSaysGoodbye() throws Exception {
        try (SieveStack stack = SieveStack.start(); SieveClient c = SieveClient.connect(stack.port())) {
            c.response();
            assertThat(c.command("NOOP")).containsExactly("OK \"Done\"");
            stack.stopServer();
            assertThat(c.readLine()).isEqualTo("BYE (TRYLATER) \"Server shutting down\"");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    private static List<String> concat(List<String> lines, String last) {
        var out = new java.util.ArrayList<>(lines);
        out.add(last);
        return out;
    }
}

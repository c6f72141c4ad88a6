package org.osprey.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code osprey sieve check|test} run as a shell would: stdout, stderr, exit status. */
class SieveCommandTest {
    @TempDir
    Path tmp;
    Path message;

    record Result(int status, String out, String err) {
    }

    @BeforeEach
    void writeMessage() throws IOException {
        message = Files.writeString(tmp.resolve("message.eml"), """
                Return-Path: <alice@example.com>
                Delivered-To: john+lists@example.org
                From: Alice <alice@example.com>
                To: John <john@example.org>
                Subject: [acme] Release 1.0
                List-Id: <acme.lists.example.org>
                Message-ID: <m1@example.com>

                Hello John.
                """.replace("\n", "\r\n"));
    }

    private Result osprey(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = Main.execute(args, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path script(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void checkSaysOkAndWhatTheScriptRequires() throws IOException {
        Path script = script("good.sieve", "require [\"fileinto\", \"imap4flags\"];\nfileinto \"x\";\n");
        Result r = osprey("sieve", "check", script.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(script + ": ok (requires fileinto, imap4flags)\n");
    }

    @Test
    void checkPrintsTheErrorWithLineAndColumn() throws IOException {
        Path script = script("bad.sieve", "require \"fileinto\";\nif hedaer :contains \"subject\" \"x\" {\n"
                + "  fileinto \"x\";\n}\n");
        Result r = osprey("sieve", "check", script.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("osprey: " + script + ": line 2, column 4: unknown test \"hedaer\"\n");
    }

    @Test
    void checkWarnsAboutMissingIncludes() throws IOException {
        Path script = script("inc.sieve", "require \"include\";\ninclude \"helper\";\ninclude :optional \"other\";\n");
        Result r = osprey("sieve", "check", script.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains(script + ": warning: included script :personal \"helper\" does not exist")
                .endsWith(script + ": ok (requires include)\n");
    }

    @Test
    void checkOfAMissingFile() {
        Result r = osprey("sieve", "check", tmp.resolve("nothing.sieve").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("osprey: no such script file: " + tmp.resolve("nothing.sieve") + "\n");
    }

    @Test
    void testPrintsTheActionsLikeSieveTest() throws IOException {
        Path script = script("lists.sieve", """
                require ["fileinto", "imap4flags"];
                if header :contains "subject" "[acme]" {
                    fileinto :flags "\\\\Seen" "Lists";
                }
                """);
        Result r = osprey("sieve", "test", script.toString(), message.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                Performed actions:

                 * store message in folder: Lists
                 + set flags: \\Seen

                Implicit keep:

                  (none)
                """);
    }

    @Test
    void testShowsTheImplicitKeepRedirectsAndEdits() throws IOException {
        Path script = script("copy.sieve", """
                require ["copy", "editheader", "envelope", "subaddress"];
                if envelope :detail "to" "lists" { redirect :copy "archive@example.net"; }
                addheader "X-Seen-By" "sieve";
                """);
        Result r = osprey("sieve", "test", script.toString(), message.toString());
        assertThat(r.out()).isEqualTo("""
                Performed actions:

                 * redirect message to: archive@example.net (a copy)

                Implicit keep:

                 * store message in folder: INBOX

                Header edits:

                 * add header: X-Seen-By: sieve
                """);
    }

    @Test
    void testShowsVacationAndWhyItWasNotSent() throws IOException {
        Path script = script("away.sieve", """
                require "vacation";
                vacation :days 3 :subject "Away" "Back on Monday.";
                """);
        Result list = osprey("sieve", "test", script.toString(), message.toString());
        assertThat(list.out()).contains("Implicit keep:\n\n * store message in folder: INBOX\n")
                .contains("Notes:\n\n - vacation not sent: the message came from a mailing list (it has List-Id)\n");

        Path personal = Files.writeString(tmp.resolve("personal.eml"), Files.readString(message)
                .replace("List-Id: <acme.lists.example.org>\r\n", ""));
        Result r = osprey("sieve", "test", script.toString(), personal.toString(), "--from", "bob@example.net",
                "--to", "john@example.org");
        assertThat(r.out()).isEqualTo("""
                Performed actions:

                 * send vacation response to: <bob@example.net>
                 + from: john@example.org
                 + subject: Away
                 + not again to this sender within: 3 days
                 + text:
                     Back on Monday.

                Implicit keep:

                 * store message in folder: INBOX
                """);
    }

    @Test
    void testReadsPersonalIncludesBesideTheScript() throws IOException {
        script("spam.sieve", "require \"fileinto\";\n"
                + "if header :contains \"subject\" \"Release\" { fileinto \"Junk\"; }\n");
        Path script = script("main.sieve", "require \"include\";\ninclude \"spam\";\n");
        Result r = osprey("sieve", "test", script.toString(), message.toString());
        assertThat(r.out()).startsWith("Performed actions:\n\n * store message in folder: Junk\n");
    }

    @Test
    void testReportsRuntimeErrorsAndTheKeep() throws IOException {
        Path script = script("loop.sieve", "require \"include\";\ninclude \"loop\";\n");
        Result r = osprey("sieve", "test", script.toString(), message.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Implicit keep:\n\n * store message in folder: INBOX\n")
                .contains("Runtime errors (the message is kept in INBOX):\n\n - script \"loop\": line 2, column 1:"
                        + " include loop: :personal \"loop\" is already being run\n");
    }

    @Test
    void testUsesTheReturnPathAsEnvelopeSenderByDefault() throws IOException {
        Path script = script("env.sieve", """
                require ["envelope", "reject"];
                if envelope :is "from" "alice@example.com" { reject "no alice"; }
                """);
        Result r = osprey("sieve", "test", script.toString(), message.toString());
        assertThat(r.out()).contains(" * reject message with reason: no alice\n");
        Result other = osprey("sieve", "test", script.toString(), message.toString(), "--from", "");
        assertThat(other.out()).contains("Implicit keep:\n\n * store message in folder: INBOX\n");
    }

    @Test
    void testRefusesAScriptThatDoesNotCompile() throws IOException {
        Path script = script("broken.sieve", "keep");
        Result r = osprey("sieve", "test", script.toString(), message.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("osprey: " + script + ": line 1, column 5: expected ';' or '{' after command"
                + " \"keep\", found end of script\n");
    }
}

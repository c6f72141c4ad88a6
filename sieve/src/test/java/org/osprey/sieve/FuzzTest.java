package org.osprey.sieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever text the compiler gets, it answers with a script or a {@link SieveException}, never anything else; and
 * whatever compiled script runs on whatever message, the interpreter answers with a result, never an exception.
 * Inputs are random characters, random token soup from Sieve's vocabulary, and mutations (cuts, insertions, swaps)
 * of a script using every extension. Seeds are fixed, so a failure is reproducible; a failing input found this way
 * becomes a regression case.
 */
class FuzzTest {
    private static final String FULL = """
            require ["fileinto", "reject", "ereject", "envelope", "encoded-character", "imap4flags", "copy", "body",
                     "variables", "vacation", "vacation-seconds", "relational", "comparator-i;ascii-numeric",
                     "subaddress", "date", "index", "mailbox", "spamtest", "spamtestplus", "virustest", "duplicate",
                     "editheader", "include", "regex"];
            # a comment
            if anyof (header :matches "subject" "*[*]*", address :user :is "to" "john", envelope :detail "to" "x",
                      body :content "text" :contains "money", size :over 10K, exists "x-spam",
                      string :count "ge" :comparator "i;ascii-numeric" ["${a}", "b"] "1",
                      date :value "ge" :zone "+0100" :index 1 "date" "hour" "09", currentdate :is "weekday" "1",
                      spamtest :percent :value "gt" :comparator "i;ascii-numeric" "50", virustest :is "0",
                      duplicate :seconds 60, mailboxexists "Junk", hasflag :contains "seen",
                      header :regex "from" "^(a|b)+@[[:alpha:]]+$") {
                set :lower :upperfirst "name" "${1}";
                addflag "\\\\Seen ${name}";
                addheader :last "X-Test" "${hex:41}${unicode:263a}";
                deleteheader :index 1 :contains "received" "x";
                fileinto :copy :create :flags ["\\\\Flagged"] "Lists/${name}";
                redirect :copy "a@example.net";
                vacation :days 3 :subject "s" :from "me@example.org" :addresses ["b@example.org"] :handle "h" text:
            Away
            ..
            .
            ;
                include :optional :once "other";
                global "g";
                return;
            } elsif not true { reject "no"; ereject "no"; discard; stop; } else { keep :flags "x"; }
            """;

    private static final String[] VOCABULARY = {"require", "if", "elsif", "else", "keep", "discard", "stop",
        "fileinto", "redirect", "header", "address", "envelope", "not", "allof", "anyof", "true", "false", "size",
        "exists", "set", "string", "body", "vacation", "include", "global", "return", "date", "currentdate",
        ":is", ":contains", ":matches", ":regex", ":count", ":value", ":comparator", ":over", ":under", ":index",
        ":last", ":copy", ":flags", ":days", ":seconds", ":content", ":raw", "\"x\"", "\"${1}\"", "\"*\"",
        "\"i;ascii-numeric\"", "\"gt\"", "\"fileinto\"", "\"variables\"", "[", "]", "(", ")", "{", "}", ",", ";",
        "1", "100K", "text:\n.\n", "#c\n", "/* c */", "\"\\\\\"", "\"${hex:40}\""};

    private static final byte[] MESSAGE = ("""
            Received: from a by b; Mon, 3 Jun 2024 10:00:00 +0000
            Date: Mon, 3 Jun 2024 12:00:00 +0200
            From: "A, B" <ab@example.com>, group: c@example.com;
            To: john+x@example.org
            Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= [list] money
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            send money
            --b--
            """).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);

    @Test
    void theFullScriptCompilesAndRuns() throws SieveException {
        CompiledScript script = new SieveCompiler().compile("full", FULL);
        SieveResult result = run(script);
        assertThat(result.actions()).isNotEmpty();
    }

    @Test
    void randomCharacters() {
        Random random = new Random(5228);
        String alphabet = " \t\r\n\"\\:;,[](){}#/*.${}abcdeifxKMG0123456789@-_+=?!<>\u00e9\0";
        for (int i = 0; i < 20_000; i++) {
            var text = new StringBuilder();
            int length = random.nextInt(60);
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            compileAndRun(text.toString());
        }
    }

    @Test
    void tokenSoup() {
        Random random = new Random(3028);
        for (int i = 0; i < 20_000; i++) {
            var text = new StringBuilder("require [\"fileinto\", \"variables\", \"relational\", \"body\", "
                    + "\"vacation\", \"include\", \"date\", \"copy\", \"imap4flags\", \"regex\"];\n");
            int length = random.nextInt(30);
            for (int j = 0; j < length; j++) {
                text.append(VOCABULARY[random.nextInt(VOCABULARY.length)]).append(' ');
            }
            compileAndRun(text.toString());
        }
    }

    @Test
    void mutationsOfAFullScript() {
        Random random = new Random(6609);
        for (int i = 0; i < 5_000; i++) {
            var text = new StringBuilder(FULL);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0 -> text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(8)));
                    case 1 -> text.insert(at, VOCABULARY[random.nextInt(VOCABULARY.length)]);
                    default -> text.setCharAt(at, text.charAt(random.nextInt(text.length())));
                }
            }
            compileAndRun(text.toString());
        }
    }

    private static final String[] TESTS = {"true", "false", "header :contains \"subject\" \"money\"",
        "header :matches [\"from\", \"to\"] \"*@*.?*\"", "address :domain :is \"from\" \"example.com\"",
        "address :detail \"to\" \"x\"", "envelope :user \"to\" \"john\"", "exists [\"received\", \"x-a\"]",
        "size :over 100", "body :text :contains \"money\"", "body :raw :matches \"*--b*\"",
        "body :content \"multipart\" :contains \"\"", "string :is \"${a}\" \"\"",
        "header :regex \"subject\" \"([a-z]+)$\"", "date :is \"date\" \"weekday\" \"1\"",
        "date :value \"ge\" :originalzone \"received\" \"hour\" \"09\"", "currentdate :matches \"iso8601\" \"*\"",
        "spamtest :value \"ge\" :comparator \"i;ascii-numeric\" \"5\"", "virustest \"0\"",
        "duplicate :uniqueid \"${a}\"", "mailboxexists \"INBOX\"", "hasflag :count \"ge\" \"1\"",
        "header :index 1 :last :count \"eq\" \"received\" \"1\""};
    private static final String[] COMMANDS = {"keep;", "discard;", "stop;", "fileinto \"${a}x\";",
        "fileinto :copy :flags \"\\\\Seen\" \"A\";", "redirect :copy \"r@example.net\";", "reject \"no\";",
        "ereject \"no\";", "set :upper \"a\" \"${1}${0}\";", "addflag \"\\\\Flagged\";", "removeflag \"x\";",
        "addheader \"X-A\" \"${a}\";", "deleteheader :index 1 \"received\";", "deleteheader \"x-a\";",
        "vacation :days 1 \"away\";", "include :optional \"other\";", "return;", "keep :flags \"a b\";"};

    @Test
    void randomValidScriptsRunWithoutInternalErrors() {
        Random random = new Random(5229);
        String require = FULL.substring(0, FULL.indexOf("];") + 2) + "\n";
        for (int i = 0; i < 3_000; i++) {
            var text = new StringBuilder(require);
            int rules = 1 + random.nextInt(6);
            for (int r = 0; r < rules; r++) {
                text.append("if ").append(random.nextBoolean() ? "anyof" : "allof").append(" (")
                        .append(TESTS[random.nextInt(TESTS.length)]).append(", not ")
                        .append(TESTS[random.nextInt(TESTS.length)]).append(") { ")
                        .append(COMMANDS[random.nextInt(COMMANDS.length)]).append(' ')
                        .append(COMMANDS[random.nextInt(COMMANDS.length)]).append(" } else { ")
                        .append(COMMANDS[random.nextInt(COMMANDS.length)]).append(" }\n");
            }
            try {
                new SieveCompiler().compile("valid", text.toString());
            } catch (SieveException e) {
                fail("should compile: " + e.getMessage() + " in\n" + text, e);
            }
            compileAndRun(text.toString());
        }
    }

    @Test
    void everyPrefixOfAFullScript() {
        for (int end = 0; end <= FULL.length(); end++) {
            compileAndRun(FULL.substring(0, end));
        }
    }

    private static void compileAndRun(String text) {
        CompiledScript script;
        try {
            script = new SieveCompiler().compile("fuzz", text, (location, name) -> Optional.of(text));
        } catch (SieveException e) {
            assertThat(e.line()).isPositive();
            assertThat(e.column()).isPositive();
            return;
        } catch (RuntimeException | StackOverflowError e) {
            fail("compiling " + show(text) + " threw " + e, e);
            return;
        }
        try {
            SieveResult result = run(script);
            assertThat(result.actions()).as("never an empty decision").isNotEmpty();
            assertThat(result.errors()).as("running " + show(text)).noneMatch(e -> e.contains("internal error"));
        } catch (RuntimeException | StackOverflowError e) {
            fail("running " + show(text) + " threw " + e, e);
        }
    }

    private static SieveResult run(CompiledScript script) {
        MessageContext context = MessageContext.builder(MessageSource.of(MESSAGE), MESSAGE.length)
                .envelopeFrom("ab@example.com").envelopeTo("john+x@example.org").spamPercent(70)
                .clock(Clock.fixed(Instant.parse("2024-06-03T10:00:00Z"), ZoneOffset.UTC)).build();
        return new SieveInterpreter().evaluate(List.of(script), context);
    }

    private static String show(String text) {
        return "\"" + text.replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }
}

package org.osprey.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.osprey.imap.parse.Parse.error;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Malformed commands give a precise BAD (or NO) that names no client bytes, and hostile ones (a nesting bomb, a
 * million ranges) are refused by the limits, never by a StackOverflowError or OutOfMemoryError.
 */
class ParseErrorTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "' NOOP'                             | * BAD Missing or invalid tag",
            "+ NOOP                              | * BAD Missing or invalid tag",
            "(a NOOP                             | * BAD Missing or invalid tag",
            "a1                                  | a1 BAD Missing command",
            "a1 FROB                             | a1 BAD Unknown command",
            "a1 UID FROB 1                       | a1 BAD Unknown UID command",
            "a1 NOOP extra                       | a1 BAD Unexpected characters at end of command",
            "a1 FETCH 0 FLAGS                    | a1 BAD Invalid sequence number 0",
            "a1 FETCH 1: FLAGS                   | a1 BAD Invalid sequence set",
            "a1 FETCH *: FLAGS                   | a1 BAD Invalid sequence set",
            "a1 FETCH :5 FLAGS                   | a1 BAD Invalid sequence set",
            "a1 FETCH 1,,2 FLAGS                 | a1 BAD Invalid sequence set",
            "a1 FETCH 4294967296 FLAGS           | a1 BAD Sequence number too large",
            "a1 COPY x INBOX                     | a1 BAD Invalid sequence set",
            "a1 FETCH 1 (FLAGS (UID)             | a1 BAD Expected a data item",
            "a1 SEARCH ((SEEN)                   | a1 BAD Missing )",
            "a1 LOGIN {abc}                      | a1 BAD Literal size must be a number",
            "a1 LOGIN {}                         | a1 BAD Literal size must be a number",
            "a1 LOGIN {12x}                      | a1 BAD Invalid literal",
            "a1 LOGIN {5} bob                    | a1 BAD A literal must end the line",
            "a1 LOGIN {99999999999999999999}     | a1 BAD Literal size too large",
            "a1 LOGIN bob                        | a1 BAD Missing argument",
            "a1 LOGIN \"bob\\x\" pw              | a1 BAD Invalid escape in quoted string",
            "a1 SELECT INBOX (CONDSTORE CONDSTORE) | a1 BAD Unknown or repeated SELECT parameter",
            "a1 SELECT INBOX (QRESYNC (1 2 3:* ))| a1 BAD * is not allowed here",
            "a1 SELECT INBOX (QRESYNC (1 2 (1:3 5)))| a1 BAD QRESYNC sequence match data of different lengths",
            "a1 SELECT INBOX (QRESYNC (0 2))     | a1 BAD Number must not be zero",
            "a1 CREATE x (USE (\\Drafts) USE ()) | a1 BAD Unknown or repeated CREATE parameter",
            "a1 CREATE x (COLOR red)             | a1 BAD Unknown or repeated CREATE parameter",
            "a1 LIST (SUBSCRIBED FANCY) \"\" *   | a1 BAD Unknown LIST selection option",
            "a1 LIST (RECURSIVEMATCH) \"\" *     | a1 BAD RECURSIVEMATCH needs another selection option",
            "a1 LIST \"\" * RETURN (CHILDREN GOSSIP) | a1 BAD Unknown LIST return option",
            "a1 LIST \"\" * (CHILDREN)           | a1 BAD Expected RETURN",
            "a1 STATUS INBOX (MESSAGES COLOUR)   | a1 BAD Unknown STATUS item",
            "a1 STATUS INBOX ()                  | a1 BAD Expected an atom",
            "a1 AUTHENTICATE PLAIN dGVzd         | a1 BAD Initial response is not base64",
            "a1 ENABLE                           | a1 BAD Missing argument",
            "a1 APPEND INBOX hello               | a1 BAD Expected the message as a literal",
            "a1 APPEND INBOX \"1-Jan-2000\" {1}  | a1 BAD Invalid date-time (expected e.g. \"17-Jul-1996 02:44:25 -0700\")",
            "a1 APPEND INBOX \"30-Feb-2000 00:00:00 +0000\" {1} | a1 BAD Invalid date-time (expected e.g. \"17-Jul-1996 02:44:25 -0700\")",
            "a1 SETQUOTA \"\" (STORAGE 1 STORAGE 2) | a1 BAD Resource given twice",
            "a1 SELECT &U,BTFw                   | a1 BAD Mailbox name is not valid modified UTF-7",
            "a1 SELECT &AGE-                     | a1 BAD Mailbox name is not valid modified UTF-7",
            "a1 SELECT \"caf\u00e9\"             | a1 BAD Mailbox name is not valid modified UTF-7",
            "a1 SELECT &AAo-                     | a1 BAD Mailbox name contains control characters",
    })
    void badCommands(String command, String response) {
        assertThat(error(command).response()).isEqualTo(response + "\r\n");
    }

    @Test
    void aQuotedStringEndsAtItsLineSoAHiddenCrlfCannotShortenTheCommand() {
        // The client's CRLF ends the line; the half-open quoted string is an error, not a shorter SEARCH.
        assertThat(error("a1 SEARCH TEXT \"foo\r\nbar\"").reason()).isEqualTo("Unterminated quoted string");
        assertThat(error("a1 LOGIN \"foo\rbar\" pw").reason()).isEqualTo("Invalid character in quoted string");
    }

    @Test
    void nulInALiteralString() {
        assertThat(error("a1 LOGIN {3}\r\na\0b pw").reason()).isEqualTo("NUL in literal");
    }

    @Test
    void theResponseNeverEchoesClientBytesOrControlCharacters() {
        ImapParseException e = error("a1 FROB\u0007 <script>\r");
        assertThat(e.response()).doesNotContain("FROB", "script").endsWith("\r\n");
        assertThat(ImapParseException.no("TOOBIG", "bad\r\n* OK forged").response())
                .isEqualTo("* NO [TOOBIG] bad  * OK forged\r\n");
    }

    @Test
    void nestingBombIsRefusedByDepth() {
        ParserLimits roomy = new ParserLimits(16 * 1024 * 1024, 64, 10_000, 1024, Long.MAX_VALUE, 0);
        int depth = 200_000;
        String parens = "a1 SEARCH " + "(".repeat(depth) + "ALL" + ")".repeat(depth);
        assertThat(error(parens, roomy).reason()).isEqualTo("Search keys nested too deeply (limit 64)");
        String nots = "a1 SEARCH " + "NOT ".repeat(depth) + "ALL";
        assertThat(error(nots, roomy).reason()).isEqualTo("Search keys nested too deeply (limit 64)");
        String ors = "a1 SEARCH " + "OR ALL ".repeat(depth) + "ALL";
        assertThat(error(ors, roomy).reason()).isEqualTo("Search keys nested too deeply (limit 64)");
        // Within the limit it parses.
        assertThat(Parse.command("a1 SEARCH " + "(".repeat(63) + "ALL" + ")".repeat(63))).isNotNull();
    }

    @Test
    void nestingBombWithDefaultLimitsIsAlsoTooLong() {
        String bomb = "a1 SEARCH " + "(".repeat(100_000) + "ALL" + ")".repeat(100_000);
        ImapParseException e = error(bomb);
        assertThat(e.response()).startsWith("* BAD [TOOBIG] Command too long");
        assertThat(e.fatal()).isTrue();
    }

    @Test
    void aMillionRangesAreRefused() {
        StringBuilder set = new StringBuilder();
        for (int i = 0; i < 1_000_000; i++) {
            if (i > 0) {
                set.append(',');
            }
            set.append(i * 2 + 1);
        }
        ParserLimits roomy = new ParserLimits(16 * 1024 * 1024, 64, 10_000, 1024, Long.MAX_VALUE, 0);
        assertThat(error("a1 FETCH " + set + " FLAGS", roomy).reason())
                .isEqualTo("Too many ranges in sequence set (limit 10000)");
        assertThat(error("a1 SEARCH UID " + set, roomy).reason())
                .isEqualTo("Too many ranges in sequence set (limit 10000)");
        assertThat(error("a1 FETCH " + set + " FLAGS").fatal()).isTrue(); // and too long by default
    }
}

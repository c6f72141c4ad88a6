package org.osprey.sieve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The interpreter's API beyond single scripts: what it reads, what it asks, and what it hands back. */
class SieveInterpreterTest {
    private static final byte[] MESSAGE = ("From: a@example.com\r\nTo: john@example.org\r\nSubject: hi\r\n"
            + "Message-ID: <1@example.com>\r\n\r\nsome body text\r\n").getBytes(StandardCharsets.UTF_8);

    private final SieveCompiler compiler = new SieveCompiler();
    private final SieveInterpreter interpreter = new SieveInterpreter();

    private SieveResult run(String script, MessageContext.Builder context) throws SieveException {
        return interpreter.evaluate(compiler.compile("test", script), context.build());
    }

    private static MessageContext.Builder context(MessageSource source) {
        return MessageContext.builder(source, MESSAGE.length).envelopeFrom("a@example.com")
                .envelopeTo("john@example.org");
    }

    @Test
    void theMessageIsReadOnceForTheHeaderAndOnceMoreOnlyForBodyTests() throws SieveException {
        var opens = new AtomicInteger();
        MessageSource counting = () -> {
            opens.incrementAndGet();
            return new ByteArrayInputStream(MESSAGE);
        };
        run("if header :is \"subject\" \"x\" { keep; } if address \"from\" \"b\" { keep; }", context(counting));
        assertThat(opens).hasValue(1);
        opens.set(0);
        run("require \"body\"; if size :over 1 { keep; }", context(counting));
        assertThat(opens).hasValue(0);
        opens.set(0);
        run("require \"body\"; if body :contains \"x\" { keep; } if body :contains \"y\" { keep; }"
                + " if body :raw :contains \"z\" { keep; }", context(counting));
        assertThat(opens).as("header, text parts once, raw body once").hasValue(3);
    }

    @Test
    void anUnreadableMessageIsKept() throws SieveException {
        MessageSource broken = () -> {
            throw new IOException("disk on fire");
        };
        SieveResult result = run("require \"fileinto\"; if header :is \"subject\" \"hi\" { fileinto \"x\"; }",
                context(broken));
        assertThat(result.failed()).isTrue();
        assertThat(result.errors()).containsExactly("cannot read the message: disk on fire");
        assertThat(result.actions()).containsExactly(new Action.Keep(java.util.Set.of()));
        assertThat(result.implicitKeep()).isTrue();
    }

    @Test
    void noScriptsMeansTheImplicitKeep() {
        SieveResult result = interpreter.evaluate(List.of(), context(MessageSource.of(MESSAGE)).build());
        assertThat(result.actions()).containsExactly(new Action.Keep(java.util.Set.of()));
        assertThat(result.implicitKeep()).isTrue();
        assertThat(result.failed()).isFalse();
    }

    @Test
    void theDuplicateTrackerIsAskedOncePerIdAndNothingIsRecordedByTheInterpreter() throws SieveException {
        var asked = new ArrayList<String>();
        SieveResult result = run("require \"duplicate\"; if duplicate { discard; } if duplicate { discard; }"
                        + " if duplicate :handle \"h\" :seconds 60 :last { discard; }",
                context(MessageSource.of(MESSAGE)).duplicates((handle, id) -> {
                    asked.add(handle + "|" + id);
                    return false;
                }));
        assertThat(asked).containsExactly("|<1@example.com>", "h|<1@example.com>");
        assertThat(result.duplicateMarks()).containsExactly(
                new DuplicateMark("", "<1@example.com>", Duration.ofDays(7), false),
                new DuplicateMark("h", "<1@example.com>", Duration.ofSeconds(60), true));
    }

    @Test
    void vacationHandlesComeFromTheArgumentsBeforeExpansion() throws SieveException {
        String script = """
                require ["vacation", "variables"];
                set "who" "${1}";
                if header :matches "subject" "*" { vacation :subject "Re: ${1}" "Away"; }
                """;
        String first = vacation(script, "Subject: one").handle();
        String second = vacation(script, "Subject: two").handle();
        assertThat(first).hasSize(32).isEqualTo(second); // RFC 5230 §4.2: not expanded
        assertThat(vacation(script.replace("Away", "Gone"), "Subject: one").handle()).isNotEqualTo(first);
        assertThat(vacation(script.replace("Re: ${1}", "Re: x"), "Subject: one").handle()).isNotEqualTo(first);
        assertThat(vacation(script.replace(":subject", ":handle \"mine\" :subject"), "Subject: one").handle())
                .isEqualTo("mine");
    }

    private Action.Vacation vacation(String script, String subject) throws SieveException {
        byte[] message = ("From: a@example.com\r\nTo: john@example.org\r\n" + subject + "\r\n"
                + "Message-ID: <2@example.com>\r\nReferences: <0@example.com>\r\n\r\nx\r\n")
                .getBytes(StandardCharsets.UTF_8);
        SieveResult result = run(script, MessageContext.builder(MessageSource.of(message), message.length)
                .envelopeFrom("a@example.com").envelopeTo("john@example.org"));
        Action.Vacation vacation = (Action.Vacation) result.actions().getFirst();
        assertThat(vacation.inReplyTo()).isEqualTo("<2@example.com>");
        assertThat(vacation.references()).isEqualTo("<0@example.com> <2@example.com>");
        return vacation;
    }

    @Test
    void compiledScriptsKnowTheirIncludes() throws SieveException {
        Map<String, String> personal = Map.of("a", "require \"include\"; include \"b\";",
                "b", "if true {", "c", "keep;");
        CompiledScript script = compiler.compile("main", """
                require "include";
                include "a";
                include :global "site";
                include :optional "c";
                """, (location, name) -> location == ScriptLocation.PERSONAL ? Optional.ofNullable(personal.get(name))
                : Optional.empty());
        assertThat(script.name()).isEqualTo("main");
        assertThat(script.location()).isEqualTo(ScriptLocation.PERSONAL);
        assertThat(script.extensions()).containsExactly("include");
        assertThat(script.includes()).containsExactlyInAnyOrder(new ScriptRef(ScriptLocation.PERSONAL, "a"),
                new ScriptRef(ScriptLocation.PERSONAL, "b"), new ScriptRef(ScriptLocation.GLOBAL, "site"),
                new ScriptRef(ScriptLocation.PERSONAL, "c"));
        assertThat(script.includeProblems()).containsExactly(
                ":global \"site\" does not exist",
                ":personal \"b\": line 1, column 10: expected '}' to close the block opened at line 1, column 9,"
                        + " found end of script");
    }

    @Test
    void anIncludeResolverThatFailsMakesABrokenInclude() throws SieveException {
        CompiledScript script = compiler.compile("main", "require \"include\"; include \"x\";", (location, name) -> {
            throw new IOException("permission denied");
        });
        SieveResult result = interpreter.evaluate(script, context(MessageSource.of(MESSAGE)).build());
        assertThat(result.errors()).containsExactly("script \"main\": line 1, column 20: included script"
                + " :personal \"x\": cannot be read: permission denied");
    }

    @Test
    void aCompiledScriptRunsOnManyThreadsAtOnce() throws Exception {
        CompiledScript script = compiler.compile("shared", """
                require ["variables", "fileinto", "imap4flags"];
                if header :matches "subject" "*" { set "s" "${1}"; addflag "$${s}"; fileinto "F-${s}"; }
                """);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<SieveResult>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    byte[] m = ("Subject: s" + n + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
                    return interpreter.evaluate(script, MessageContext.builder(MessageSource.of(m), m.length).build());
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get().actions()).containsExactly(
                        new Action.FileInto("F-s" + i, java.util.Set.of("$s" + i), false));
            }
        }
    }

    @Test
    void theCapabilityListNamesEveryExtension() {
        assertThat(SieveCompiler.CAPABILITIES).contains("fileinto", "reject", "ereject", "envelope",
                "encoded-character", "imap4flags", "copy", "body", "variables", "vacation", "vacation-seconds",
                "relational", "comparator-i;ascii-numeric", "subaddress", "date", "index", "mailbox", "spamtest",
                "spamtestplus", "virustest", "duplicate", "editheader", "include", "regex");
    }

    @Test
    void scriptsThatAreTooLargeAreRefused() {
        String huge = "#" + "x".repeat(SieveCompiler.MAX_SCRIPT_LENGTH);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> compiler.compile("huge", huge))
                .isInstanceOf(SieveException.class).hasMessage("line 1, column 1: script is larger than 1048576"
                        + " characters");
    }
}

package org.osprey.server;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.osprey.sieve.Action;
import org.osprey.sieve.CompiledScript;
import org.osprey.sieve.HeaderEdit;
import org.osprey.sieve.IncludeResolver;
import org.osprey.sieve.MessageContext;
import org.osprey.sieve.MessageSource;
import org.osprey.sieve.ScriptLocation;
import org.osprey.sieve.SieveCompiler;
import org.osprey.sieve.SieveException;
import org.osprey.sieve.SieveInterpreter;
import org.osprey.sieve.SieveResult;
import org.osprey.sieve.message.HeaderBlock;
import org.osprey.sieve.message.MailAddress;
import org.osprey.sieve.message.MessageHeader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code osprey sieve check|test}: a Sieve script checked as delivery would compile it, and run on a message file
 * without delivering anything, printing what would be done (as Pigeonhole's sieve-test does). Works on files only.
 * {@code include :personal "x"} reads x.sieve (or x) beside the script, {@code :global} reads from --global-dir.
 */
@Command(name = "sieve", description = "Check Sieve scripts and see what they would do with a message.",
        mixinStandardHelpOptions = true)
final class SieveCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "check", description = "Compile a script and print its errors with line and column.")
    int check(@Parameters(paramLabel = "SCRIPT", description = "The Sieve script file.") Path script,
              @Option(names = "--global-dir", paramLabel = "DIR",
                      description = "Where the scripts named by include :global are.") Path globalDir)
            throws CliException {
        CompiledScript compiled = compile(script, globalDir);
        PrintWriter out = spec.commandLine().getOut();
        for (String problem : compiled.includeProblems()) {
            out.println(script + ": warning: included script " + problem + " (an error when that include runs)");
        }
        out.println(script + ": ok" + (compiled.extensions().isEmpty() ? ""
                : " (requires " + String.join(", ", compiled.extensions()) + ")"));
        return 0;
    }

    @Command(name = "test", description = "Run a script on a message file and print the actions it would take;"
            + " nothing is delivered or sent.")
    int test(@Parameters(index = "0", paramLabel = "SCRIPT", description = "The Sieve script file.") Path script,
             @Parameters(index = "1", paramLabel = "MESSAGE", description = "The message file (RFC 5322).")
             Path message,
             @Option(names = "--from", paramLabel = "ADDR", description = "The envelope sender (default: the"
                     + " message's Return-Path, else its From; \"\" for <>).") String from,
             @Option(names = "--to", paramLabel = "ADDR", description = "The envelope recipient (default: the"
                     + " message's Delivered-To, else its first To address).") String to,
             @Option(names = "--spam", paramLabel = "PERCENT", description = "The spam score 0..100 for spamtest"
                     + " (default: not checked).") Integer spam,
             @Option(names = "--virus", paramLabel = "LEVEL", description = "The virus verdict 1..5 for virustest"
                     + " (default: not checked).") Integer virus,
             @Option(names = "--mailbox", paramLabel = "NAME", description = "A mailbox that exists, for"
                     + " mailboxexists (repeatable; INBOX always exists).") List<String> mailboxes,
             @Option(names = "--now", paramLabel = "INSTANT", description = "The current time for currentdate,"
                     + " as 2024-06-03T10:15:30Z (default: now).") String now,
             @Option(names = "--global-dir", paramLabel = "DIR",
                     description = "Where the scripts named by include :global are.") Path globalDir)
            throws CliException {
        CompiledScript compiled = compile(script, globalDir);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(message);
        } catch (NoSuchFileException e) {
            throw new CliException("no such message file: " + message);
        } catch (IOException e) {
            throw new CliException("cannot read " + message + ": " + e.getMessage());
        }
        MessageHeader header = header(bytes);
        String sender = from != null ? from : address(header, "Return-Path").or(() -> address(header, "From"))
                .orElse("");
        String recipient = to != null ? to : address(header, "Delivered-To").or(() -> address(header, "To"))
                .orElse("recipient@localhost");
        var context = MessageContext.builder(MessageSource.of(bytes), bytes.length)
                .envelopeFrom(sender).envelopeTo(recipient)
                .mailboxes(name -> name.equalsIgnoreCase("INBOX") || mailboxes != null && mailboxes.contains(name))
                .clock(clock(now));
        if (spam != null) {
            context.spamPercent(spam);
        }
        if (virus != null) {
            context.virusLevel(virus);
        }
        SieveResult result = new SieveInterpreter().evaluate(compiled, context.build());
        print(spec.commandLine().getOut(), result);
        return 0;
    }

    private static Clock clock(String now) throws CliException {
        if (now == null) {
            return Clock.systemDefaultZone();
        }
        try {
            return Clock.fixed(Instant.parse(now), ZoneId.systemDefault());
        } catch (DateTimeParseException e) {
            throw new CliException("--now: \"" + now + "\" is not an instant like 2024-06-03T10:15:30Z");
        }
    }

    /** The report, modelled on Pigeonhole's sieve-test: performed actions, then the implicit keep. */
    static void print(PrintWriter out, SieveResult result) {
        List<Action> actions = result.actions();
        int explicit = result.implicitKeep() ? actions.size() - 1 : actions.size();
        out.println("Performed actions:");
        out.println();
        if (explicit == 0) {
            out.println("  (none)");
        }
        for (int i = 0; i < explicit; i++) {
            describe(out, actions.get(i));
        }
        out.println();
        out.println("Implicit keep:");
        out.println();
        if (result.implicitKeep()) {
            describe(out, actions.getLast());
        } else {
            out.println("  (none)");
        }
        if (!result.headerEdits().isEmpty()) {
            out.println();
            out.println("Header edits:");
            out.println();
            for (HeaderEdit edit : result.headerEdits()) {
                out.println(switch (edit) {
                    case HeaderEdit.AddHeader add -> " * add header" + (add.last() ? " at the end" : "") + ": "
                            + add.name() + ": " + add.value();
                    case HeaderEdit.DeleteHeader delete -> " * delete header: " + delete.name() + " (occurrence "
                            + delete.occurrence() + ")";
                });
            }
        }
        if (!result.notes().isEmpty()) {
            out.println();
            out.println("Notes:");
            out.println();
            result.notes().forEach(note -> out.println(" - " + note));
        }
        if (result.failed()) {
            out.println();
            out.println("Runtime errors (the message is kept in INBOX):");
            out.println();
            result.errors().forEach(error -> out.println(" - " + error));
        }
        out.flush();
    }

    private static void describe(PrintWriter out, Action action) {
        switch (action) {
            case Action.Keep keep -> {
                out.println(" * store message in folder: INBOX");
                flags(out, keep.flags());
            }
            case Action.FileInto file -> {
                out.println(" * store message in folder: " + file.folder());
                flags(out, file.flags());
                if (file.create()) {
                    out.println(" + create the folder if it does not exist");
                }
            }
            case Action.Redirect redirect -> out.println(" * redirect message to: " + redirect.address()
                    + (redirect.copy() ? " (a copy)" : ""));
            case Action.Reject reject -> out.println(" * reject message with reason: " + oneLine(reject.reason()));
            case Action.Ereject reject -> out.println(" * refuse message in the SMTP dialogue with reason: "
                    + oneLine(reject.reason()));
            case Action.Discard discard -> out.println(" * discard message");
            case Action.Vacation vacation -> {
                out.println(" * send vacation response to: <" + vacation.to() + ">");
                out.println(" + from: " + vacation.from());
                out.println(" + subject: " + vacation.subject());
                long seconds = vacation.period().toSeconds();
                out.println(" + not again to this sender within: " + (seconds % 86400 == 0 && seconds > 0
                        ? seconds / 86400 + " day" + (seconds == 86400 ? "" : "s") : seconds + " seconds"));
                out.println(" + " + (vacation.mime() ? "MIME entity:" : "text:"));
                vacation.body().lines().forEach(line -> out.println("     " + line));
            }
        }
    }

    private static void flags(PrintWriter out, java.util.Set<String> flags) {
        if (!flags.isEmpty()) {
            out.println(" + set flags: " + String.join(" ", flags));
        }
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " / ");
    }

    private static CompiledScript compile(Path script, Path globalDir) throws CliException {
        String text;
        try {
            text = Files.readString(script, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException("no such script file: " + script);
        } catch (IOException e) {
            throw new CliException("cannot read " + script + ": " + e.getMessage());
        }
        Path dir = script.toAbsolutePath().getParent();
        IncludeResolver includes = (location, name) -> {
            Path base = location == ScriptLocation.GLOBAL ? globalDir : dir;
            if (base == null) {
                return Optional.empty();
            }
            for (Path candidate : List.of(base.resolve(name + ".sieve"), base.resolve(name))) {
                if (Files.isRegularFile(candidate)) {
                    return Optional.of(Files.readString(candidate, StandardCharsets.UTF_8));
                }
            }
            return Optional.empty();
        };
        String name = script.getFileName().toString().replaceFirst("\\.sieve$", "");
        try {
            return new SieveCompiler().compile(name, text, includes);
        } catch (SieveException e) {
            throw new CliException(script + ": " + e.getMessage());
        }
    }

    private static MessageHeader header(byte[] message) {
        try (InputStream in = new BufferedInputStream(MessageSource.of(message).open())) {
            return MessageHeader.of(HeaderBlock.read(in));
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory", e);
        }
    }

    private static Optional<String> address(MessageHeader header, String field) {
        var fields = header.all(field);
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        String raw = fields.getFirst().raw().strip();
        if (field.equalsIgnoreCase("Return-Path") && raw.replaceAll("\\s", "").equals("<>")) {
            return Optional.of("");
        }
        return fields.getFirst().addresses().stream().filter(MailAddress::valid).findFirst()
                .map(MailAddress::addrSpec);
    }
}

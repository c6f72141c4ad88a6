package org.osprey.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osprey.core.config.Config;
import org.osprey.filter.Findings;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.mail.ParsedMessage;
import org.osprey.filter.spam.SpamCheck;
import org.osprey.filter.spam.SpamFilter;
import org.osprey.filter.spam.SpamReport;
import org.osprey.filter.spam.bayes.Bayes;
import org.osprey.filter.spam.bayes.BayesDatabase;
import org.osprey.filter.spam.bayes.Classifier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code osprey spam learn|forget|score}: trains the Bayes databases from mail on disk (as sa-learn does), empties
 * them, and scores a message file showing every test that fired, with the same rules and databases the running
 * server uses (which picks up what was learned within a second).
 */
@Command(name = "spam", description = "Train the spam filter and see how it scores a message.",
        mixinStandardHelpOptions = true)
final class SpamCommand {
    private static final int BATCH = 500;

    @Spec
    CommandSpec spec;

    static final class LearnClass {
        @Option(names = "--spam", required = true, description = "The messages are spam.") boolean spam;
        @Option(names = "--ham", required = true, description = "The messages are not spam.") boolean ham;
    }

    @Command(name = "learn", description = "Learn messages (Maildir folders, directories of message files, mbox"
            + " files, or single messages) as spam or ham; prints the counts learned.")
    int learn(@Mixin ConfigOption configOption,
              @ArgGroup(multiplicity = "1") LearnClass kind,
              @Option(names = "--user", paramLabel = "ADDRESS",
                      description = "Train this user's database instead of the global one.") String user,
              @Parameters(paramLabel = "PATH", arity = "1..*") List<Path> paths) throws CliException {
        Config config = configOption.load();
        PrintWriter out = spec.commandLine().getOut();
        boolean spam = kind.spam;
        try {
            BayesDatabase db = database(config, user);
            int[] counts = new int[3]; // learned, already, relearned
            List<BayesDatabase.Example> batch = new ArrayList<>();
            for (Path path : paths) {
                MessageFiles.read(path, message -> {
                    batch.add(Bayes.example(ParsedMessage.parse(message.open(), SpamCheck.MAX_SCANNED), spam));
                    if (batch.size() == BATCH) {
                        flush(db, batch, counts);
                    }
                });
            }
            flush(db, batch, counts);
            out.printf("learned %d %s message(s) into the %s database (%d already known, %d moved from %s)%n",
                    counts[0] + counts[2], spam ? "spam" : "ham", user == null ? "global" : user + "'s",
                    counts[1], counts[2], spam ? "ham" : "spam");
            out.printf("database now: %d spam, %d ham, %d tokens%n", db.spamMessages(), db.hamMessages(),
                    db.tokenCount());
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException("cannot learn: " + e.getMessage());
        }
    }

    /** The global database, or the user's when one is named. */
    private static BayesDatabase database(Config config, String user) throws IOException {
        Bayes bayes = SpamSetup.openBayes(config);
        return user == null ? bayes.global() : bayes.user(user);
    }

    private static void flush(BayesDatabase db, List<BayesDatabase.Example> batch, int[] counts) throws IOException {
        for (BayesDatabase.Learned result : db.learnAll(batch)) {
            counts[result.ordinal()]++;
        }
        batch.clear();
    }

    @Command(name = "forget", description = "Empty the global Bayes database (or a user's).")
    int forget(@Mixin ConfigOption configOption,
               @Option(names = "--user", paramLabel = "ADDRESS", description = "Empty this user's database.")
               String user) throws CliException {
        Config config = configOption.load();
        try {
            database(config, user).reset();
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException("cannot forget: " + e.getMessage());
        }
        spec.commandLine().getOut().println("emptied the " + (user == null ? "global" : user + "'s")
                + " Bayes database");
        return 0;
    }

    @Command(name = "status", description = "How much the global Bayes database (or a user's) has learned.")
    int status(@Mixin ConfigOption configOption,
               @Option(names = "--user", paramLabel = "ADDRESS", description = "Show this user's database.")
               String user) throws CliException {
        Config config = configOption.load();
        try {
            BayesDatabase db = database(config, user);
            spec.commandLine().getOut().printf("%s database: %d spam, %d ham, %d tokens%s%n",
                    user == null ? "global" : user + "'s", db.spamMessages(), db.hamMessages(), db.tokenCount(),
                    user == null && db.spamMessages() < Classifier.MIN_MESSAGES || db.hamMessages() < Classifier.MIN_MESSAGES
                            ? " (needs " + Classifier.MIN_MESSAGES + " of each before it is used)" : "");
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException("cannot read the Bayes database: " + e.getMessage());
        }
    }

    @Command(name = "score", description = "Score messages as port 25 would (without the network checks) and print"
            + " the score and every test that fired.")
    int score(@Mixin ConfigOption configOption,
              @Option(names = "--user", paramLabel = "ADDRESS",
                      description = "Score as mail to this user (adds the user's Bayes database).") String user,
              @Option(names = "--brief", description = "One line per message: score, tab, file.") boolean brief,
              @Parameters(paramLabel = "FILE", arity = "1..*") List<Path> files) throws CliException {
        Config config = configOption.load();
        PrintWriter out = spec.commandLine().getOut();
        try {
            SpamFilter filter = SpamSetup.filter(config, SpamSetup.bayes(config));
            SmtpFacts facts = null; // scored from a file: no SMTP client to judge
            List<String> recipients = user == null ? List.of() : List.of(user);
            for (Path file : files) {
                MessageFiles.read(file, message -> {
                    ParsedMessage parsed = ParsedMessage.parse(message.open(), SpamCheck.MAX_SCANNED);
                    // the envelope sender as delivery recorded it, if the file has one
                    String sender = parsed.header().value("Return-Path").orElse("").replaceAll("[<>\\s]", "");
                    SpamReport report = filter.score(facts, sender, recipients, parsed, new Findings());
                    if (brief) {
                        out.printf("%.3f\t%s%n", report.score(), message.origin());
                    } else {
                        out.println(message.origin() + ":");
                        out.print(report.explanation());
                    }
                });
            }
            out.flush();
            return 0;
        } catch (IOException e) {
            throw new CliException("cannot score: " + e.getMessage());
        }
    }
}

package org.osprey.server;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The osprey program: {@code osprey run} starts the server; the other commands administer the directory while the
 * server runs or not. Every refusal is one line on stderr and exit status 1.
 */
@Command(name = "osprey", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Osprey mail server: SMTP, IMAP, POP3, Sieve and webmail in one program.",
        subcommands = {RunCommand.class, DomainCommand.class, UserCommand.class, AliasCommand.class,
                QueueCommand.class, DkimCommand.class, SieveCommand.class, SpamCommand.class,
                MetricsCommand.class})
public final class Main {
    final InputStream stdin;

    Main(InputStream stdin) {
        this.stdin = stdin;
    }

    public static void main(String[] args) {
        int status = execute(args, System.in, System.out, System.err);
        flushLogs();
        System.exit(status);
    }

    /** Runs one command line with the given streams; returns the exit status. Used by main and by tests. */
    public static int execute(String[] args, InputStream in, PrintStream out, PrintStream err) {
        // The admin commands print tables on stdout; keep the log quiet for them unless asked otherwise.
        boolean serving = args.length > 0 && args[0].equals("run");
        if (!serving && System.getProperty("osprey.log.level") == null) {
            System.setProperty("osprey.log.level", "WARN");
        }
        CommandLine cli = new CommandLine(new Main(in));
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException) {
                commandLine.getErr().println("osprey: " + e.getMessage());
            } else {
                commandLine.getErr().println("osprey: unexpected error: " + e);
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        cli.setParameterExceptionHandler((e, args2) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("osprey: " + e.getMessage());
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help'.");
            return 1;
        });
        return cli.execute(args);
    }

    /** Log lines wait in an asynchronous appender: write them out before the JVM ends. */
    static void flushLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.stop();
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"osprey " + (version == null ? "development build" : version)};
        }
    }
}

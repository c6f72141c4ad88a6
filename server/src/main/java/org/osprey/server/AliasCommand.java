package org.osprey.server;

import java.util.List;
import java.util.Optional;
import org.osprey.directory.Alias;
import org.osprey.directory.DirectoryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code osprey alias add|remove|list}. */
@Command(name = "alias", description = "Add, remove and list aliases (\"@domain\" as source is the catch-all).",
        mixinStandardHelpOptions = true)
final class AliasCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "add", description = "Forward SOURCE to one or more destinations, local or external.")
    int add(@Mixin ConfigOption config, @Parameters(index = "0", paramLabel = "SOURCE") String source,
            @Parameters(index = "1..*", arity = "1..*", paramLabel = "DEST") List<String> destinations)
            throws CliException {
        try (var session = AdminSession.open(config)) {
            session.admin().addAlias(source, destinations);
            spec.commandLine().getOut().println("added alias " + source.strip() + " -> "
                    + String.join(", ", destinations));
            return 0;
        } catch (DirectoryException e) {
            throw new CliException(e.getMessage());
        }
    }

    @Command(name = "remove", description = "Remove all of SOURCE's destinations, or just DEST.")
    int remove(@Mixin ConfigOption config, @Parameters(index = "0", paramLabel = "SOURCE") String source,
               @Parameters(index = "1", arity = "0..1", paramLabel = "DEST") String destination) throws CliException {
        try (var session = AdminSession.open(config)) {
            int removed = session.admin().removeAlias(source, Optional.ofNullable(destination));
            spec.commandLine().getOut().println("removed " + removed + " alias row(s) for " + source.strip());
            return 0;
        } catch (DirectoryException e) {
            throw new CliException(e.getMessage());
        }
    }

    @Command(name = "list", description = "List aliases, of all domains or of one.")
    int list(@Mixin ConfigOption config, @Parameters(paramLabel = "DOMAIN", arity = "0..1") String domain,
             @Option(names = "--json", description = "Print JSON.") boolean json) throws CliException {
        try (var session = AdminSession.open(config)) {
            var table = new TableOutput("SOURCE", "DESTINATION");
            for (Alias alias : session.admin().listAliases(Optional.ofNullable(domain))) {
                table.row(alias.source(), alias.destination());
            }
            table.print(spec.commandLine().getOut(), json);
            return 0;
        } catch (DirectoryException e) {
            throw new CliException(e.getMessage());
        }
    }
}

package org.osprey.server;

import org.osprey.directory.DirectoryAdmin;
import org.osprey.directory.DirectoryException;
import org.osprey.filter.spam.bayes.Bayes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code osprey domain add|remove|list}. */
@Command(name = "domain", description = "Add, remove and list the mail domains Osprey receives for.",
        mixinStandardHelpOptions = true)
final class DomainCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "add", description = "Add a domain (IDN names in either form).")
    int add(@Mixin ConfigOption config, @Parameters(paramLabel = "NAME") String name) throws CliException {
        try (var session = AdminSession.open(config)) {
            session.admin().addDomain(name);
            spec.commandLine().getOut().println("added domain " + name.strip().toLowerCase(java.util.Locale.ROOT));
            return 0;
        } catch (DirectoryException e) {
            throw new CliException(e.getMessage());
        }
    }

    @Command(name = "remove", description = "Remove a domain. Refused while it has mailboxes or aliases, unless"
            + " --force. Mail on disk stays unless --purge.")
    int remove(@Mixin ConfigOption config, @Parameters(paramLabel = "NAME") String name,
               @Option(names = "--force", description = "Also remove the domain's mailboxes and aliases.") boolean force,
               @Option(names = "--purge", description = "Also delete the domain's mail on disk.") boolean purge)
            throws CliException {
        try (var session = AdminSession.open(config)) {
            DirectoryAdmin.DomainRow removed = session.admin().removeDomain(name, force);
            var out = spec.commandLine().getOut();
            out.println("removed domain " + removed.name() + " (" + removed.mailboxes() + " mailbox(es), "
                    + removed.aliases() + " alias(es))");
            if (purge) {
                MailOnDisk.delete(session.layout().domainDirectory(removed.name()), out);
                MailOnDisk.deleteLearned(Bayes.domainDirectory(SpamSetup.bayesDirectory(session.config()),
                        removed.name()), out);
            }
            return 0;
        } catch (DirectoryException e) {
            throw new CliException(e.getMessage());
        }
    }

    @Command(name = "list", description = "List the domains.")
    int list(@Mixin ConfigOption config, @Option(names = "--json", description = "Print JSON.") boolean json)
            throws CliException {
        try (var session = AdminSession.open(config)) {
            var table = new TableOutput("DOMAIN", "MAILBOXES", "ALIASES");
            for (DirectoryAdmin.DomainRow row : session.admin().listDomains()) {
                table.row(row.name(), row.mailboxes(), row.aliases());
            }
            table.print(spec.commandLine().getOut(), json);
            return 0;
        } catch (DirectoryException e) {
            throw new CliException(e.getMessage());
        }
    }
}

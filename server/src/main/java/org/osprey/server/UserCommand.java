package org.osprey.server;

import java.util.Optional;
import org.osprey.core.config.ByteSize;
import org.osprey.directory.DirectoryException;
import org.osprey.directory.Mailbox;
import org.osprey.filter.spam.bayes.Bayes;
import org.osprey.store.MailboxLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code osprey user add|passwd|quota|enable|disable|remove|list}. */
@Command(name = "user", description = "Add, change, remove and list mailboxes.", mixinStandardHelpOptions = true)
final class UserCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "add", description = "Add a mailbox. The password is asked twice, or read from stdin.")
    int add(@Mixin ConfigOption config, @Parameters(paramLabel = "ADDRESS") String address,
            @Option(names = "--quota", paramLabel = "SIZE", defaultValue = "0",
                    description = "Quota such as 500M or 2G; 0 (default) is unlimited.") String quota,
            @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
            boolean passwordStdin) throws CliException {
        long quotaBytes = quota(quota);
        try (var session = AdminSession.open(config)) {
            String password = PasswordInput.read(passwordStdin, stdin());
            session.admin().addUser(address, password, quotaBytes);
            spec.commandLine().getOut().println("added mailbox " + address.strip());
            return 0;
        } catch (DirectoryException e) {
            throw new CliException(e.getMessage());
        }
    }

    @Command(name = "passwd", description = "Set a new password.")
    int passwd(@Mixin ConfigOption config, @Parameters(paramLabel = "ADDRESS") String address,
               @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
               boolean passwordStdin) throws CliException {
        try (var session = AdminSession.open(config)) {
            String password = PasswordInput.read(passwordStdin, stdin());
            session.admin().setPassword(address, password);
            spec.commandLine().getOut().println("password changed for " + address.strip());
            return 0;
        } catch (DirectoryException e) {
            throw new CliException(e.getMessage());
        }
    }

    @Command(name = "quota", description = "Set the quota (0 is unlimited).")
    int quota(@Mixin ConfigOption config, @Parameters(index = "0", paramLabel = "ADDRESS") String address,
              @Parameters(index = "1", paramLabel = "SIZE") String quota) throws CliException {
        long quotaBytes = quota(quota);
        try (var session = AdminSession.open(config)) {
            session.admin().setQuota(address, quotaBytes);
            spec.commandLine().getOut().println("quota of " + address.strip() + " is " + describeQuota(quotaBytes));
            return 0;
        } catch (DirectoryException e) {
            throw new CliException(e.getMessage());
        }
    }

    @Command(name = "disable", description = "Refuse logins (mail still arrives).")
    int disable(@Mixin ConfigOption config, @Parameters(paramLabel = "ADDRESS") String address) throws CliException {
        return setEnabled(config, address, false);
    }

    @Command(name = "enable", description = "Allow logins again.")
    int enable(@Mixin ConfigOption config, @Parameters(paramLabel = "ADDRESS") String address) throws CliException {
        return setEnabled(config, address, true);
    }

    @Command(name = "remove", description = "Remove a mailbox. Its mail on disk stays unless --purge.")
    int remove(@Mixin ConfigOption config, @Parameters(paramLabel = "ADDRESS") String address,
               @Option(names = "--purge", description = "Also delete the mailbox's mail on disk.") boolean purge)
            throws CliException {
        try (var session = AdminSession.open(config)) {
            Mailbox removed = session.admin().removeUser(address);
            var out = spec.commandLine().getOut();
            out.println("removed mailbox " + removed.address());
            MailboxLayout layout = session.layout();
            if (purge) {
                MailOnDisk.delete(layout.home(removed.address()), out);
                MailOnDisk.deleteLearned(Bayes.userDirectory(SpamSetup.bayesDirectory(session.config()),
                        removed.address().toString()), out);
            }
            return 0;
        } catch (DirectoryException e) {
            throw new CliException(e.getMessage());
        }
    }

    @Command(name = "list", description = "List mailboxes, of all domains or of one.")
    int list(@Mixin ConfigOption config, @Parameters(paramLabel = "DOMAIN", arity = "0..1") String domain,
             @Option(names = "--json", description = "Print JSON.") boolean json) throws CliException {
        try (var session = AdminSession.open(config)) {
            var table = new TableOutput("ADDRESS", "QUOTA", "ENABLED");
            for (Mailbox m : session.admin().listUsers(Optional.ofNullable(domain))) {
                table.row(m.address().toString(), json ? (Object) m.quotaBytes() : describeQuota(m.quotaBytes()),
                        m.enabled());
            }
            table.print(spec.commandLine().getOut(), json);
            return 0;
        } catch (DirectoryException e) {
            throw new CliException(e.getMessage());
        }
    }

    private int setEnabled(ConfigOption config, String address, boolean enabled) throws CliException {
        try (var session = AdminSession.open(config)) {
            session.admin().setEnabled(address, enabled);
            spec.commandLine().getOut().println((enabled ? "enabled " : "disabled ") + address.strip());
            return 0;
        } catch (DirectoryException e) {
            throw new CliException(e.getMessage());
        }
    }

    private java.io.InputStream stdin() {
        return ((Main) spec.root().userObject()).stdin;
    }

    private static long quota(String text) throws CliException {
        try {
            return ByteSize.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException("--quota: " + e.getMessage());
        }
    }

    private static String describeQuota(long bytes) {
        return bytes == 0 ? "unlimited" : ByteSize.format(bytes);
    }
}

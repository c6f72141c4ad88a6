package org.osprey.server;

import org.osprey.core.config.Config;
import org.osprey.directory.Database;
import org.osprey.directory.DirectoryAdmin;
import org.osprey.directory.DirectoryException;
import org.osprey.directory.password.PasswordScheme;
import org.osprey.store.MailboxLayout;

/** What an admin command works on: the config, the directory database and the mail layout on disk. */
record AdminSession(Config config, Database database, DirectoryAdmin admin, MailboxLayout layout)
        implements AutoCloseable {

    static AdminSession open(ConfigOption option) throws CliException {
        Config config = option.load();
        try {
            Database database = Database.open(config.database());
            var admin = new DirectoryAdmin(database, PasswordScheme.parse(config.directory().passwordScheme()));
            return new AdminSession(config, database, admin, new MailboxLayout(config.store().root()));
        } catch (DirectoryException e) {
            throw new CliException(e.getMessage());
        }
    }

    @Override
    public void close() {
        database.close();
    }
}

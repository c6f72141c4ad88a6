package org.osprey.directory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.osprey.core.config.Config;

/**
 * Fresh, empty databases for tests on the three supported engines. MariaDB and PostgreSQL are the servers that run
 * on every machine of this kind (127.0.0.1, root / postgres, no password); when one is unreachable the test fails,
 * it is never skipped, so CI notices.
 */
public final class TestDatabases {
    public static final String MARIADB_ADMIN_URL = "jdbc:mariadb://127.0.0.1:3306/test";
    public static final String POSTGRES_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private TestDatabases() {
    }

    /** A handle on one created database; close() drops it. */
    public record TestDatabase(Config.Database config, Runnable dropper) implements AutoCloseable {
        @Override
        public void close() {
            dropper.run();
        }
    }

    public static TestDatabase sqlite(Path dir) {
        return new TestDatabase(new Config.Database("jdbc:sqlite:" + dir.resolve("osprey.db"), "", "", 4), () -> { });
    }

    public static TestDatabase mariadb() {
        String name = uniqueName();
        execute(MARIADB_ADMIN_URL, "root", "CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        return new TestDatabase(new Config.Database("jdbc:mariadb://127.0.0.1:3306/" + name, "root", "", 4),
                () -> execute(MARIADB_ADMIN_URL, "root", "DROP DATABASE IF EXISTS " + name));
    }

    public static TestDatabase postgresql() {
        String name = uniqueName();
        execute(POSTGRES_ADMIN_URL, "postgres", "CREATE DATABASE " + name);
        return new TestDatabase(new Config.Database("jdbc:postgresql://127.0.0.1:5432/" + name, "postgres", "", 4),
                () -> execute(POSTGRES_ADMIN_URL, "postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }

    /** Runs statements on the database itself, as an admin would by hand in the SQL shell. */
    public static void sql(Config.Database db, String... statements) {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement st = c.createStatement()) {
            for (String statement : statements) {
                st.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + db.url() + ": " + e.getMessage(), e);
        }
    }

    private static void execute(String url, String user, String statement) {
        try (Connection c = DriverManager.getConnection(url, user, "");
             Statement st = c.createStatement()) {
            st.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("the database at " + url + " is needed for this test and did not"
                    + " answer: " + e.getMessage(), e);
        }
    }

    private static String uniqueName() {
        return "osprey_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}

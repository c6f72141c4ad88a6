package org.osprey.directory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.osprey.core.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory's connection pool, with the schema brought up to date on open. Migrations create the ISPmail
 * tables only when they are missing ("IF NOT EXISTS") and keep their own history in {@code osprey_schema_history},
 * so Osprey can be pointed at a database that an ISPmail setup made by hand.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final Dialect dialect;

    private Database(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    public static Database open(Config.Database config) throws DirectoryException {
        Dialect dialect = Dialect.fromUrl(config.url());
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setPoolName("directory");
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(10_000);
        // Fail fast with our own message rather than Hikari's retry loop when the server is down.
        hikari.setInitializationFailTimeout(1);
        if (dialect == Dialect.SQLITE) {
            createParentDirectory(config.url());
            // WAL lets the CLI write while the server reads; busy_timeout waits out the other process's lock.
            hikari.addDataSourceProperty("journal_mode", "WAL");
            hikari.addDataSourceProperty("busy_timeout", "10000");
            hikari.addDataSourceProperty("foreign_keys", "true");
            hikari.addDataSourceProperty("synchronous", "NORMAL");
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (HikariPool.PoolInitializationException e) {
            throw new DirectoryException("cannot connect to the database " + redact(config.url()) + ": "
                    + rootMessage(e));
        }
        try {
            migrate(pool, dialect);
        } catch (FlywayException e) {
            pool.close();
            throw new DirectoryException("cannot bring the database schema up to date: " + rootMessage(e), e);
        }
        return new Database(pool, dialect);
    }

    private static void migrate(DataSource dataSource, Dialect dialect) {
        var result = Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect.migrations())
                .table("osprey_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .loggers("slf4j")
                .load()
                .migrate();
        if (result.migrationsExecuted > 0) {
            log.info("database schema migrated to version {}", result.targetSchemaVersion);
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    public Dialect dialect() {
        return dialect;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void close() {
        pool.close();
    }

    private static void createParentDirectory(String url) throws DirectoryException {
        String file = url.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        if (query >= 0) {
            file = file.substring(0, query);
        }
        if (file.isEmpty() || file.equals(":memory:") || file.startsWith("file::memory:")) {
            return;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new DirectoryException("cannot create the directory for the database " + parent + ": "
                    + e.getMessage());
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

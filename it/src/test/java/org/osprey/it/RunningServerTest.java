package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.config.ConfigLoader;
import org.osprey.directory.TestDatabases;
import org.osprey.server.OspreyServer;

/**
 * The CLI works while the server runs, on each database engine, and the running server sees its changes within
 * five seconds. This is the README's first-steps path with the database URL changed.
 */
class RunningServerTest {
    @TempDir
    Path dir;

    @Test
    void sqlite() throws Exception {
        cliChangesReachTheRunningServer("");
    }

    @Test
    void mariadb() throws Exception {
        try (var db = TestDatabases.mariadb()) {
            cliChangesReachTheRunningServer(databaseSection(db));
        }
    }

    @Test
    void postgresql() throws Exception {
        try (var db = TestDatabases.postgresql()) {
            cliChangesReachTheRunningServer(databaseSection(db));
        }
    }

    private static String databaseSection(TestDatabases.TestDatabase db) {
        return "[database]\nurl = \"" + db.config().url() + "\"\nuser = \"" + db.config().user() + "\"\n";
    }

    private void cliChangesReachTheRunningServer(String databaseSection) throws Exception {
        Path config = dir.resolve("osprey.toml");
        Files.writeString(config, """
                data_dir = "data"
                hostname = "mail.example.org"
                %s
                [listen]
                smtp = ["127.0.0.1:0"]
                submission = ["127.0.0.1:0"]
                submissions = ["127.0.0.1:0"]
                imap = ["127.0.0.1:0"]
                imaps = ["127.0.0.1:0"]
                pop3 = ["127.0.0.1:0"]
                pop3s = ["127.0.0.1:0"]
                managesieve = ["127.0.0.1:0"]
                web = ["127.0.0.1:0"]
                """.formatted(databaseSection));
        try (OspreyServer server = OspreyServer.start(ConfigLoader.load(config))) {
            assertThat(Files.exists(dir.resolve("data/tls/cert.pem"))).as("self-signed certificate made").isTrue();
            var cli = new Cli(config);
            assertThat(server.directory().isLocalDomain("example.org")).isFalse();

            assertThat(cli.run("domain", "add", "example.org").status()).isZero();
            assertThat(cli.runWithInput("secret\n", "user", "add", "john@example.org", "--password-stdin").status())
                    .isZero();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> server.directory().isLocalDomain("example.org")
                            && server.directory().check("john@example.org", "secret").isPresent());

            assertThat(cli.run("alias", "add", "info@example.org", "john@example.org").status()).isZero();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> server.directory().resolve(EmailAddress.parse("info@example.org")).isKnown());

            assertThat(cli.runWithInput("changed\n", "user", "passwd", "john@example.org", "--password-stdin")
                    .status()).isZero();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> server.directory().check("john@example.org", "changed").isPresent());
            assertThat(server.directory().check("john@example.org", "secret")).isEmpty();
        }
    }
}

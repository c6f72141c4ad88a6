package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin CLI end to end on the embedded SQLite database: exit codes, messages and effects. */
class CliTest {
    @TempDir
    Path dir;
    Cli cli;

    @BeforeEach
    void config() throws Exception {
        Path config = dir.resolve("osprey.toml");
        Files.writeString(config, "data_dir = \"data\"\nhostname = \"mail.example.org\"\n");
        cli = new Cli(config);
    }

    static void assertOk(Cli.Result r) {
        assertThat(r.status()).as("exit status; stderr: %s", r.err()).isZero();
    }

    /** A refusal is exactly one line on stderr, and exit status 1. */
    static void assertRefused(Cli.Result r, String message) {
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("osprey: ").contains(message);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
    }

    @Test
    void domainsAreAddedListedAndRemoved() throws Exception {
        assertOk(cli.run("domain", "add", "example.org"));
        assertOk(cli.run("domain", "add", "Bücher.Example"));
        var list = cli.run("domain", "list");
        assertOk(list);
        assertThat(list.out().lines().toList()).containsExactly(
                "DOMAIN                 MAILBOXES  ALIASES",
                "example.org            0          0",
                "xn--bcher-kva.example  0          0");
        assertOk(cli.run("domain", "remove", "bücher.example"));
        JsonNode json = new ObjectMapper().readTree(cli.run("domain", "list", "--json").out());
        assertThat(json).hasSize(1);
        assertThat(json.get(0).get("domain").asText()).isEqualTo("example.org");
        assertThat(json.get(0).get("mailboxes").asInt()).isZero();
    }

    @Test
    void usersAreAddedWithPasswordFromStdinAndListed() throws Exception {
        assertOk(cli.run("domain", "add", "example.org"));
        var added = cli.runWithInput("secret\n", "user", "add", "john@example.org", "--password-stdin");
        assertOk(added);
        assertThat(added.out()).isEqualTo("added mailbox john@example.org\n");
        assertOk(cli.runWithInput("pw2\n", "user", "add", "jane@example.org", "--quota", "2G", "--password-stdin"));
        assertThat(cli.run("user", "list").out().lines().toList()).containsExactly(
                "ADDRESS           QUOTA      ENABLED",
                "jane@example.org  2G         true",
                "john@example.org  unlimited  true");
        JsonNode json = new ObjectMapper().readTree(cli.run("user", "list", "example.org", "--json").out());
        assertThat(json.get(0).get("address").asText()).isEqualTo("jane@example.org");
        assertThat(json.get(0).get("quota").asLong()).isEqualTo(2L << 30);
        assertThat(json.get(0).get("enabled").asBoolean()).isTrue();
    }

    @Test
    void badInputIsOneLineAndExitOneAndWritesNothing() {
        assertOk(cli.run("domain", "add", "example.org"));
        assertRefused(cli.run("domain", "add", "example.org"), "domain example.org already exists");
        assertRefused(cli.run("domain", "add", "not_a domain"), "not a valid domain name");
        assertRefused(cli.runWithInput("pw\n", "user", "add", "john@@example.org", "--password-stdin"),
                "not a valid address");
        assertRefused(cli.runWithInput("pw\n", "user", "add", "john@unknown.example", "--password-stdin"),
                "domain unknown.example is not ours");
        assertRefused(cli.runWithInput("\n", "user", "add", "john@example.org", "--password-stdin"),
                "the password must not be empty");
        assertRefused(cli.runWithInput("pw\n", "user", "add", "john@example.org", "--quota", "lots",
                "--password-stdin"), "--quota");
        assertOk(cli.runWithInput("pw\n", "user", "add", "john@example.org", "--password-stdin"));
        assertRefused(cli.runWithInput("pw\n", "user", "add", "JOHN@example.org", "--password-stdin"),
                "mailbox john@example.org already exists");
        assertRefused(cli.run("domain", "remove", "example.org"), "still has 1 mailbox(es)");
        assertRefused(cli.run("user", "remove", "nobody@example.org"), "no such mailbox");
        assertRefused(cli.run("alias", "add", "x@foreign.example", "john@example.org"), "not ours");
        assertRefused(cli.run("alias", "remove", "x@example.org"), "no such alias");
        assertRefused(cli.runWithInput("", "user", "passwd", "john@example.org"), "--password-stdin");
        assertThat(cli.run("user", "list", "--json").out()).contains("john@example.org");
        assertThat(cli.run("domain", "list").out()).contains("example.org  1");
    }

    @Test
    void usageErrorsExitOneWithAHint() {
        var r = cli.run("user", "add");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("Missing required parameter").contains("osprey user add --help");
        assertThat(cli.run("frobnicate").status()).isEqualTo(1);
    }

    @Test
    void aBadConfigStopsTheCommandWithOneLineNamingTheKey() throws Exception {
        Path bad = dir.resolve("bad.toml");
        Files.writeString(bad, "[listen]\nsmtp = [\"0.0.0.0:25\"]\nimapp = []\n");
        var r = new Cli(bad).run("domain", "list");
        assertRefused(r, "config error: [listen] imapp: unknown key");
    }

    @Test
    void aliasesAreAddedListedAndRemoved() {
        assertOk(cli.run("domain", "add", "example.org"));
        assertOk(cli.run("alias", "add", "postmaster@example.org", "john@example.org", "admin@example.net"));
        assertOk(cli.run("alias", "add", "@example.org", "john@example.org"));
        assertThat(cli.run("alias", "list", "example.org").out().lines().toList()).containsExactly(
                "SOURCE                  DESTINATION",
                "@example.org            john@example.org",
                "postmaster@example.org  admin@example.net",
                "postmaster@example.org  john@example.org");
        assertOk(cli.run("alias", "remove", "postmaster@example.org", "admin@example.net"));
        assertOk(cli.run("alias", "remove", "@example.org"));
        assertThat(cli.run("alias", "list").out().lines().count()).isEqualTo(2);
    }

    @Test
    void mailOnDiskStaysUnlessPurged() throws Exception {
        assertOk(cli.run("domain", "add", "example.org"));
        assertOk(cli.runWithInput("pw\n", "user", "add", "john@example.org", "--password-stdin"));
        assertOk(cli.runWithInput("pw\n", "user", "add", "jane@example.org", "--password-stdin"));
        Path john = dir.resolve("data/vmail/example.org/john/Maildir/cur/1.mail");
        Path jane = dir.resolve("data/vmail/example.org/jane/Maildir/cur/1.mail");
        Files.createDirectories(john.getParent());
        Files.createDirectories(jane.getParent());
        Files.writeString(john, "Subject: keep\r\n\r\nhi\r\n");
        Files.writeString(jane, "Subject: purge\r\n\r\nhi\r\n");
        Path janeLearned = dir.resolve("data/bayes/users/example.org/jane");
        Path johnLearned = dir.resolve("data/bayes/users/example.org/john");
        assertOk(cli.run("spam", "learn", "--spam", jane.toString(), "--user", "jane@example.org"));
        assertOk(cli.run("spam", "learn", "--ham", john.toString(), "--user", "john@example.org"));
        assertThat(janeLearned.resolve("journal")).exists();

        assertOk(cli.run("user", "remove", "john@example.org"));
        assertThat(john).exists();
        var purged = cli.run("user", "remove", "jane@example.org", "--purge");
        assertOk(purged);
        assertThat(purged.out()).contains("deleted mail on disk", "deleted the spam classifier's data");
        assertThat(dir.resolve("data/vmail/example.org/jane")).doesNotExist();
        assertThat(janeLearned).doesNotExist();
        assertThat(john).exists();
        assertThat(johnLearned).exists();

        assertOk(cli.run("domain", "remove", "example.org", "--purge"));
        assertThat(dir.resolve("data/vmail/example.org")).doesNotExist();
        assertThat(dir.resolve("data/bayes/users/example.org")).doesNotExist();
    }

    @Test
    void passwordQuotaAndEnableChanges() {
        assertOk(cli.run("domain", "add", "example.org"));
        assertOk(cli.runWithInput("pw\n", "user", "add", "john@example.org", "--password-stdin"));
        assertOk(cli.runWithInput("new\r\n", "user", "passwd", "john@example.org", "--password-stdin"));
        assertOk(cli.run("user", "quota", "john@example.org", "500M"));
        assertOk(cli.run("user", "disable", "john@example.org"));
        assertThat(cli.run("user", "list").out()).contains("john@example.org  500M   false");
    }
}

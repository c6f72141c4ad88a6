package org.osprey.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void noFileMeansAllDefaults() throws Exception {
        Config config = ConfigLoader.load(null);
        Path cwd = Path.of("").toAbsolutePath();
        assertThat(config.dataDir()).isEqualTo(cwd.resolve("data"));
        assertThat(config.database().url()).isEqualTo("jdbc:sqlite:" + cwd.resolve("data/osprey.db"));
        assertThat(config.store().root()).isEqualTo(cwd.resolve("data/vmail"));
        assertThat(config.listen(Service.SMTP)).containsExactly(new HostPort("0.0.0.0", 2525));
        assertThat(config.listen(Service.IMAPS)).containsExactly(new HostPort("0.0.0.0", 1993));
        assertThat(config.listen(Service.WEB)).containsExactly(new HostPort("0.0.0.0", 8080));
        assertThat(config.tls().cert()).isEmpty();
        assertThat(config.tls().selfSignedDir()).isEqualTo(cwd.resolve("data/tls"));
        assertThat(config.hostname()).isNotBlank();
        assertThat(config.directory().recipientDelimiter()).isEqualTo("+");
        assertThat(config.directory().passwordScheme()).isEqualTo("ARGON2ID");
    }

    @Test
    void theShippedExampleFileLoadsAndUsesProductionPorts() throws Exception {
        Path example = Path.of("..", "osprey.example.toml");
        Config config = ConfigLoader.load(example);
        assertThat(config.listen(Service.SMTP)).containsExactly(new HostPort("0.0.0.0", 25));
        assertThat(config.listen(Service.SUBMISSION)).extracting(HostPort::port).contains(587);
        assertThat(config.listen(Service.SUBMISSIONS)).extracting(HostPort::port).contains(465);
        assertThat(config.listen(Service.IMAP)).extracting(HostPort::port).contains(143);
        assertThat(config.listen(Service.IMAPS)).extracting(HostPort::port).contains(993);
        assertThat(config.listen(Service.POP3)).extracting(HostPort::port).contains(110);
        assertThat(config.listen(Service.POP3S)).extracting(HostPort::port).contains(995);
        assertThat(config.listen(Service.MANAGESIEVE)).extracting(HostPort::port).contains(4190);
    }

    @Test
    void relativePathsResolveAgainstTheConfigFilesDirectory() throws Exception {
        Path file = write("""
                data_dir = "state"
                hostname = "mail.example.org"
                [store]
                root = "/srv/vmail"
                [listen]
                smtp = ["127.0.0.1:25", "[::1]:25"]
                imap = []
                [tls]
                cert = "certs/fullchain.pem"
                key = "certs/privkey.pem"
                """);
        Config config = ConfigLoader.load(file);
        assertThat(config.dataDir()).isEqualTo(dir.resolve("state"));
        assertThat(config.database().url()).isEqualTo("jdbc:sqlite:" + dir.resolve("state/osprey.db"));
        assertThat(config.store().root()).isEqualTo(Path.of("/srv/vmail"));
        assertThat(config.hostname()).isEqualTo("mail.example.org");
        assertThat(config.listen(Service.SMTP)).containsExactly(new HostPort("127.0.0.1", 25), new HostPort("::1", 25));
        assertThat(config.listen(Service.IMAP)).isEmpty();
        assertThat(config.tls().cert()).contains(dir.resolve("certs/fullchain.pem"));
        assertThat(config.file()).isEqualTo(Optional.of(file));
    }

    @Test
    void databaseAndLimitsAreRead() throws Exception {
        Config config = ConfigLoader.load(write("""
                [database]
                url = "jdbc:mariadb://127.0.0.1:3306/mailserver"
                user = "mailserver"
                password = "x"
                [directory]
                recipient_delimiter = "+-"
                cache_seconds = 2
                password_scheme = "blf-crypt"
                [limits]
                max_connections = 100
                max_connections_per_ip = 5
                [auth]
                block_after_failures_per_ip = 3
                """));
        assertThat(config.database().url()).isEqualTo("jdbc:mariadb://127.0.0.1:3306/mailserver");
        assertThat(config.database().toString()).doesNotContain("x]").contains("***");
        assertThat(config.directory().cacheTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.directory().passwordScheme()).isEqualTo("BLF-CRYPT");
        assertThat(config.limits().maxConnectionsPerIp()).isEqualTo(5);
        assertThat(config.auth().blockAfterPerIp()).isEqualTo(3);
    }

    @Test
    void submissionAndOutboundDeliveryAreRead() throws Exception {
        Config config = ConfigLoader.load(write("""
                [submission]
                reject_sender_login_mismatch = false
                any_sender_domains = ["Roles.Example"]
                [delivery]
                max_lifetime_hours = 48
                delay_warning_hours = 4
                resolver = "127.0.0.1:5353"
                tls_policy = "required"
                [delivery.tls_policies]
                "Bank.Example" = "verified"
                [delivery.routes]
                "example.net" = "127.0.0.1:2526"
                "*" = { relay = "relay.isp.net:587", user = "me", password = "pw" }
                """));
        assertThat(config.submission().rejectSenderMismatch()).isFalse();
        assertThat(config.submission().anySenderDomains()).containsExactly("roles.example");
        assertThat(config.submission().receivedClientAddress()).isFalse();
        Config.Delivery d = config.delivery();
        assertThat(d.maxLifetime()).hasHours(48);
        assertThat(d.delayWarning()).hasHours(4);
        assertThat(d.resolver()).isEqualTo("127.0.0.1:5353");
        assertThat(d.tlsPolicy()).isEqualTo("required");
        assertThat(d.tlsPolicies()).containsExactly(Map.entry("bank.example", "verified"));
        assertThat(d.routes().get("example.net").relay()).isEqualTo("127.0.0.1:2526");
        assertThat(d.routes().get("*").user()).contains("me");
        assertThat(d.routes().get("*").toString()).doesNotContain("pw");

        Config defaults = ConfigLoader.load(null);
        assertThat(defaults.submission().rejectSenderMismatch()).isTrue();
        assertThat(defaults.delivery().maxLifetime()).hasDays(5);
        assertThat(defaults.delivery().delayWarning()).isZero();
        assertThat(defaults.delivery().tlsPolicy()).isEqualTo("opportunistic");
        assertThat(defaults.delivery().routes()).isEmpty();
    }

    @Test
    void contentCheckSettingsAreReadWithTheirDefaults() throws Exception {
        Config defaults = ConfigLoader.load(null);
        assertThat(defaults.filter().clamavAddress()).isEmpty();
        assertThat(defaults.filter().clamavOnFailure()).isEqualTo("tempfail");
        assertThat(defaults.filter().dnsblZones()).isEmpty();
        assertThat(defaults.filter().dnsblUriZones()).isEmpty();
        assertThat(defaults.filter().greylist().enabled()).isTrue();
        assertThat(defaults.filter().greylist().delay()).hasMinutes(5);
        assertThat(defaults.filter().greylist().window()).hasHours(24);
        assertThat(defaults.filter().greylist().whitelist()).containsExactly("127.0.0.0/8", "::1/128");
        assertThat(defaults.filter().spfEnabled()).isTrue();
        assertThat(defaults.filter().spfResolver()).isEmpty();
        assertThat(defaults.filter().spam().bayesMaxTokens()).isEqualTo(1_000_000);
        assertThat(defaults.filter().timeBudget()).hasSeconds(60);

        Config config = ConfigLoader.load(write("""
                [filter.clamav]
                address = "unix:/run/clamav/clamd.ctl"
                on_failure = "accept"
                [filter.greylist]
                enabled = false
                delay = "90s"
                window = "2d"
                [filter.dnsbl]
                zones = ["bl.example.test=127.0.0.2"]
                uri_zones = ["dbl.example.test"]
                """));
        assertThat(config.filter().clamavAddress()).isEqualTo("unix:/run/clamav/clamd.ctl");
        assertThat(config.filter().greylist().delay()).hasSeconds(90);
        assertThat(config.filter().greylist().window()).hasDays(2);
        assertThat(config.filter().dnsblZones()).containsExactly("bl.example.test=127.0.0.2");
        assertThat(config.filter().dnsblUriZones()).containsExactly("dbl.example.test");
        assertError("[filter.clamav]\non_failure = \"ignore\"", "[filter.clamav] on_failure: \"ignore\"");
        assertError("[filter.greylist]\ndelay = \"5 minutes\"", "[filter.greylist] delay: \"5 minutes\" is not a duration");
        assertError("[filter.greylist]\ndelay = \"2h\"\nwindow = \"1h\"", "[filter.greylist] window: must be longer");
        assertThat(ConfigLoader.load(write("[filter.spam]\nbayes_max_tokens = 250000")).filter().spam().bayesMaxTokens())
                .isEqualTo(250_000);
        assertError("[filter.spam]\nbayes_max_tokens = 10", "[filter.spam] bayes_max_tokens: 10 is out of range");
        assertThat(ConfigLoader.load(write("[filter]\ntime_budget = \"2m\"")).filter().timeBudget()).hasMinutes(2);
        assertError("[filter]\ntime_budget = \"1h\"", "[filter] time_budget: \"1h\" is out of range 1s-5m");
    }

    @Test
    void badOutboundSettingsAreNamed() {
        assertError("[delivery]\ntls_policy = \"sometimes\"", "[delivery] tls_policy: \"sometimes\" is not a TLS policy");
        assertError("[delivery.tls_policies]\n\"a.example\" = \"maybe\"", "[delivery.tls_policies] a.example: \"maybe\"");
        assertError("[delivery.routes]\n\"a.example\" = 25", "[delivery.routes] a.example: must be a string");
        assertError("[delivery.routes]\n\"a.example\" = { user = \"x\" }", "[delivery.routes.a.example] relay: missing");
        assertError("[delivery.routes]\n\"a.example\" = { relay = \"h:25\", user = \"x\" }",
                "[delivery.routes.a.example] password: user and password go together");
        assertError("[submission]\nreject_sender_login_mismatch = \"yes\"", "[submission] reject_sender_login_mismatch: must be true or false");
    }

    @Test
    void anUnknownKeyStopsLoadingWithItsName() {
        assertError("hostnme = \"x\"", "hostnme: unknown key");
        assertError("[listen]\nsmtps = [\"0.0.0.0:465\"]", "[listen] smtps: unknown key");
        assertError("[databse]\nurl = \"x\"", "databse: unknown key");
        assertError("[tls]\ncert = \"a\"\nkey = \"b\"\nchain = \"c\"", "[tls] chain: unknown key");
    }

    @Test
    void aBadValueStopsLoadingWithTheKeyAndTheProblem() {
        assertError("[listen]\nsmtp = \"0.0.0.0:25\"", "[listen] smtp: must be a list of strings");
        assertError("[listen]\nsmtp = [\"0.0.0.0:99999\"]", "[listen] smtp: \"0.0.0.0:99999\": port 99999 is out of range");
        assertError("[listen]\nimap = [\"localhost\"]", "[listen] imap: \"localhost\" is not host:port");
        assertError("[listen]\nimap = [25]", "[listen] imap: must be a list of strings, but holds 25");
        assertError("data_dir = 5", "data_dir: must be a string in quotes, not 5");
        assertError("hostname = \"not a host\"", "hostname: \"not a host\" is not a valid host name");
        assertError("[database]\nurl = \"jdbc:oracle:thin:@x\"", "[database] url: \"jdbc:oracle:thin:@x\" is not a supported JDBC URL");
        assertError("[tls]\ncert = \"a.pem\"", "[tls] key: must be set together with cert");
        assertError("[directory]\npassword_scheme = \"MD5\"", "[directory] password_scheme: \"MD5\" is not ARGON2ID or BLF-CRYPT");
        assertError("[directory]\ncache_seconds = 60", "[directory] cache_seconds: 60 is out of range 0-5");
        assertError("[limits]\nmax_connections = \"many\"", "[limits] max_connections: must be a whole number");
        assertError("listen = 3", "listen: must be a table [listen], not 3");
    }

    @Test
    void brokenTomlNamesTheFileAndLine() throws Exception {
        Path file = write("hostname = \"a\"\n[listen\nsmtp = []\n");
        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": not valid TOML")
                .hasMessageContaining("line 2");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.toml")))
                .hasMessage(dir.resolve("nope.toml") + ": no such file");
    }

    @Test
    void everyErrorIsOneLine() {
        for (String text : List.of("[listen\n", "x = ", "[a]\n[a]\n", "hostname = \"a\nb\"")) {
            assertThatThrownBy(() -> ConfigLoader.parse(text, dir, Optional.empty()))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    private void assertError(String toml, String expected) {
        assertThatThrownBy(() -> ConfigLoader.parse(toml, dir, Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private Path write(String text) throws Exception {
        Path file = dir.resolve("osprey.toml");
        Files.writeString(file, text);
        return file;
    }
}

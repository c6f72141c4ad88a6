package org.osprey.core.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.net.IDN;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the TOML config file into a {@link Config}. Relative paths in a file are taken relative to the file's
 * directory (so a config works wherever the CLI is started from); with no file, relative to the working directory.
 * The first problem found stops loading with a {@link ConfigException} naming the key.
 */
public final class ConfigLoader {
    private static final List<String> DATABASE_PREFIXES =
            List.of("jdbc:sqlite:", "jdbc:mariadb:", "jdbc:mysql:", "jdbc:postgresql:");

    private ConfigLoader() {
    }

    /** Loads {@code file}, or the defaults when it is null. */
    public static Config load(Path file) throws ConfigException {
        if (file == null) {
            return fromTable(TomlTable.empty(""), Path.of("").toAbsolutePath(), Optional.empty());
        }
        Path absolute = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(absolute);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        return parse(text, absolute.getParent(), Optional.of(absolute));
    }

    /** Parses config text; relative paths resolve against {@code baseDir}. */
    public static Config parse(String text, Path baseDir, Optional<Path> file) throws ConfigException {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JacksonException e) {
            String where = file.map(Path::toString).orElse("config");
            throw new ConfigException(where + ": not valid TOML: " + firstLine(e.getOriginalMessage())
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return fromTable(TomlTable.empty(""), baseDir, file);
        }
        return fromTable(new TomlTable("", (ObjectNode) root), baseDir, file);
    }

    private static Config fromTable(TomlTable top, Path baseDir, Optional<Path> file) throws ConfigException {
        Path dataDir = path(top, "data_dir", "data", baseDir);
        String hostname = hostname(top);

        TomlTable db = top.table("database");
        String url = db.string("url", "jdbc:sqlite:" + dataDir.resolve("osprey.db"));
        if (DATABASE_PREFIXES.stream().noneMatch(url::startsWith)) {
            throw db.error("url", "\"" + url + "\" is not a supported JDBC URL (jdbc:sqlite:, jdbc:mariadb:, jdbc:mysql:"
                    + " or jdbc:postgresql:)");
        }
        var database = new Config.Database(url, db.string("user", ""), db.string("password", ""),
                (int) db.integer("pool_size", 8, 1, 200));
        db.rejectUnknownKeys();

        TomlTable storeTable = top.table("store");
        var store = new Config.Store(path(storeTable, "root", dataDir.resolve("vmail").toString(), baseDir));
        storeTable.rejectUnknownKeys();

        Map<Service, List<HostPort>> listen = listen(top.table("listen"));

        TomlTable tlsTable = top.table("tls");
        Optional<Path> cert = optionalPath(tlsTable, "cert", baseDir);
        Optional<Path> key = optionalPath(tlsTable, "key", baseDir);
        if (cert.isPresent() != key.isPresent()) {
            throw tlsTable.error(cert.isPresent() ? "key" : "cert", "must be set together with "
                    + (cert.isPresent() ? "cert" : "key"));
        }
        tlsTable.rejectUnknownKeys();
        var tls = new Config.Tls(cert, key, dataDir.resolve("tls"));

        TomlTable dir = top.table("directory");
        String delimiter = dir.string("recipient_delimiter", "+");
        if (delimiter.contains("@") || delimiter.chars().anyMatch(Character::isWhitespace)) {
            throw dir.error("recipient_delimiter", "may not contain '@' or spaces");
        }
        String scheme = dir.string("password_scheme", "ARGON2ID").toUpperCase(Locale.ROOT);
        if (!scheme.equals("ARGON2ID") && !scheme.equals("BLF-CRYPT")) {
            throw dir.error("password_scheme", "\"" + scheme + "\" is not ARGON2ID or BLF-CRYPT");
        }
        var directory = new Config.Directory(delimiter,
                Duration.ofSeconds(dir.integer("cache_seconds", 4, 0, 5)), scheme);
        dir.rejectUnknownKeys();

        TomlTable lim = top.table("limits");
        var limits = new Config.Limits(
                (int) lim.integer("max_connections", 5000, 1, 1_000_000),
                (int) lim.integer("max_connections_per_ip", 50, 1, 1_000_000),
                Duration.ofSeconds(lim.integer("shutdown_grace_seconds", 10, 0, 3600)));
        lim.rejectUnknownKeys();

        TomlTable authTable = top.table("auth");
        var auth = new Config.Auth(
                Duration.ofMillis(authTable.integer("failure_delay_ms", 500, 0, 60_000)),
                Duration.ofMillis(authTable.integer("max_failure_delay_ms", 15_000, 0, 600_000)),
                (int) authTable.integer("block_after_failures_per_ip", 10, 1, 1_000_000),
                (int) authTable.integer("block_after_failures_per_account", 20, 1, 1_000_000),
                Duration.ofSeconds(authTable.integer("block_seconds", 900, 1, 86_400 * 7)),
                Duration.ofSeconds(authTable.integer("forget_failures_after_seconds", 3600, 1, 86_400 * 7)),
                authTable.bool("allow_plaintext_without_tls", false));
        authTable.rejectUnknownKeys();

        TomlTable smtpTable = top.table("smtp");
        var smtp = new Config.Smtp(
                size(smtpTable, "max_message_size", "50M", 1024),
                (int) smtpTable.integer("max_recipients", 1000, 1, 100_000),
                (int) smtpTable.integer("max_errors", 10, 1, 1000),
                Duration.ofSeconds(smtpTable.integer("command_timeout_seconds", 300, 1, 3600)),
                Duration.ofSeconds(smtpTable.integer("data_timeout_seconds", 180, 1, 3600)),
                (int) smtpTable.integer("max_received_headers", 50, 1, 1000));
        smtpTable.rejectUnknownKeys();

        TomlTable submissionTable = top.table("submission");
        List<String> anySenderDomains = new ArrayList<>();
        for (String domain : submissionTable.strings("any_sender_domains", List.of())) {
            try {
                anySenderDomains.add(IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw submissionTable.error("any_sender_domains", "\"" + domain + "\" is not a domain name");
            }
        }
        var submission = new Config.Submission(
                submissionTable.bool("reject_sender_login_mismatch", true),
                List.copyOf(anySenderDomains),
                submissionTable.bool("received_client_address", false));
        submissionTable.rejectUnknownKeys();

        TomlTable deliveryTable = top.table("delivery");
        var delivery = new Config.Delivery(
                Duration.ofSeconds(deliveryTable.integer("first_retry_seconds", 300, 1, 86_400)),
                Duration.ofSeconds(deliveryTable.integer("max_retry_seconds", 4000, 1, 86_400)),
                (int) deliveryTable.integer("concurrency", 32, 1, 10_000),
                Duration.ofHours(deliveryTable.integer("max_lifetime_hours", 120, 1, 24 * 60)),
                Duration.ofHours(deliveryTable.integer("delay_warning_hours", 0, 0, 24 * 60)),
                deliveryTable.string("resolver", ""),
                tlsPolicy(deliveryTable, "tls_policy", deliveryTable.string("tls_policy", "opportunistic")),
                tlsPolicies(deliveryTable.table("tls_policies")),
                routes(deliveryTable.table("routes")),
                Duration.ofSeconds(deliveryTable.integer("connect_timeout_seconds", 30, 1, 600)),
                Duration.ofSeconds(deliveryTable.integer("command_timeout_seconds", 300, 1, 3600)));
        deliveryTable.rejectUnknownKeys();

        TomlTable imapTable = top.table("imap");
        var imap = new Config.Imap(
                size(imapTable, "append_limit", "50M", 1024),
                Duration.ofMinutes(imapTable.integer("autologout_minutes", 30, 30, 24 * 60)),
                (int) imapTable.integer("max_errors", 20, 1, 1000),
                (int) Math.min(size(imapTable, "max_command_size", "64K", 4096), 16 * 1024 * 1024));
        imapTable.rejectUnknownKeys();

        TomlTable pop3Table = top.table("pop3");
        var pop3 = new Config.Pop3(
                Duration.ofMinutes(pop3Table.integer("timeout_minutes", 10, 10, 24 * 60)),
                (int) pop3Table.integer("max_errors", 10, 1, 1000));
        pop3Table.rejectUnknownKeys();

        TomlTable sieveTable = top.table("sieve");
        Path defaultBefore = dataDir.resolve("sieve-global").resolve("spam-to-junk.sieve");
        List<Path> before = new ArrayList<>();
        for (String text : sieveTable.strings("before", List.of(defaultBefore.toString()))) {
            before.add(baseDir.resolve(text).normalize());
        }
        List<Path> after = new ArrayList<>();
        for (String text : sieveTable.strings("after", List.of())) {
            after.add(baseDir.resolve(text).normalize());
        }
        var sieve = new Config.Sieve(List.copyOf(before), List.copyOf(after), defaultBefore,
                (int) sieveTable.integer("max_redirects", 4, 0, 100),
                (int) sieveTable.integer("max_actions", 32, 1, 1000),
                Duration.ofDays(sieveTable.integer("vacation_default_days", 7, 1, 365)),
                Duration.ofSeconds(sieveTable.integer("vacation_min_seconds", 86_400, 1, 365 * 86_400L)),
                Duration.ofDays(sieveTable.integer("vacation_max_days", 90, 1, 3650)),
                size(sieveTable, "max_script_size", "256K", 1024),
                (int) sieveTable.integer("max_scripts", 100, 1, 10_000),
                size(sieveTable, "max_storage", "1M", 1024));
        sieveTable.rejectUnknownKeys();

        TomlTable filterTable = top.table("filter");
        TomlTable clamav = filterTable.table("clamav");
        String onFailure = clamav.string("on_failure", "tempfail").strip().toLowerCase(Locale.ROOT);
        if (!onFailure.equals("tempfail") && !onFailure.equals("accept")) {
            throw clamav.error("on_failure", "\"" + onFailure + "\" is not tempfail or accept");
        }
        TomlTable dnsbl = filterTable.table("dnsbl");
        TomlTable grey = filterTable.table("greylist");
        var greylist = new Config.Greylist(grey.bool("enabled", true), duration(grey, "delay", "5m"),
                duration(grey, "window", "24h"), grey.strings("whitelist", List.of("127.0.0.0/8", "::1/128")));
        if (greylist.window().compareTo(greylist.delay()) <= 0) {
            throw grey.error("window", "must be longer than delay");
        }
        grey.rejectUnknownKeys();
        TomlTable spf = filterTable.table("spf");
        TomlTable dkim = filterTable.table("dkim");
        TomlTable dmarc = filterTable.table("dmarc");
        TomlTable spamd = filterTable.table("spamd");
        TomlTable rspamd = filterTable.table("rspamd");
        var filter = new Config.Filter(clamav.string("address", "").strip(), onFailure,
                dnsbl.strings("zones", List.of()), dnsbl.string("resolver", "").strip(), greylist,
                spf.bool("enabled", true), spf.string("resolver", "").strip(),
                filterTable.string("resolver", "").strip(), dkim.bool("enabled", true), dmarc.bool("enabled", true),
                spam(filterTable.table("spam")), spamd.string("address", "").strip(),
                rspamd.string("url", "").strip(), dnsbl.strings("uri_zones", List.of()), timeBudget(filterTable));
        spf.rejectUnknownKeys();
        dkim.rejectUnknownKeys();
        dmarc.rejectUnknownKeys();
        spamd.rejectUnknownKeys();
        rspamd.rejectUnknownKeys();
        dnsbl.rejectUnknownKeys();
        clamav.rejectUnknownKeys();
        filterTable.rejectUnknownKeys();

        top.rejectUnknownKeys();
        return new Config(file, dataDir, hostname, database, store, listen, tls, directory, limits, auth, smtp,
                submission, delivery, imap, pop3, sieve, filter);
    }

    /** How long the DATA-stage checks may take together: long enough for slow DNS, well inside SMTP's 10 minutes. */
    private static Duration timeBudget(TomlTable table) throws ConfigException {
        Duration budget = duration(table, "time_budget", "60s");
        if (budget.compareTo(Duration.ofSeconds(1)) < 0 || budget.compareTo(Duration.ofMinutes(5)) > 0) {
            throw table.error("time_budget", "\"" + table.string("time_budget", "") + "\" is out of range 1s-5m");
        }
        return budget;
    }

    private static Config.Spam spam(TomlTable table) throws ConfigException {
        double tag = table.decimal("tag_level", 5.0, -1000, 1000);
        double reject = table.decimal("reject_level", 15.0, -1000, 1000);
        if (reject < tag) {
            throw table.error("reject_level", reject + " is below tag_level " + tag);
        }
        TomlTable scoreTable = table.table("scores");
        Map<String, Double> scores = new java.util.LinkedHashMap<>();
        for (String rule : scoreTable.keys()) {
            if (!rule.matches("[A-Z][A-Z0-9_]*")) {
                throw scoreTable.error(rule, "a rule name is upper case letters, digits and _");
            }
            scores.put(rule, scoreTable.decimal(rule, 0, -1000, 1000));
        }
        var spam = new Config.Spam(table.bool("enabled", true), tag, reject, Map.copyOf(scores),
                table.bool("bayes", true), table.bool("learn_from_junk", true),
                (int) table.integer("bayes_max_tokens", 1_000_000, 10_000, 100_000_000));
        table.rejectUnknownKeys();
        return spam;
    }

    private static final List<String> TLS_POLICIES =
            List.of("none", "opportunistic", "may", "required", "encrypt", "verified", "verify", "secure");

    private static String tlsPolicy(TomlTable table, String key, String value) throws ConfigException {
        String policy = value.strip().toLowerCase(Locale.ROOT);
        if (!TLS_POLICIES.contains(policy)) {
            throw table.error(key, "\"" + value + "\" is not a TLS policy: use none, opportunistic, required or"
                    + " verified");
        }
        return policy;
    }

    private static Map<String, String> tlsPolicies(TomlTable table) throws ConfigException {
        Map<String, String> result = new java.util.LinkedHashMap<>();
        for (String domain : table.keys()) {
            result.put(domain.toLowerCase(Locale.ROOT), tlsPolicy(table, domain, table.string(domain, "")));
        }
        return Map.copyOf(result);
    }

    /** [delivery.routes]: "domain" = "host:port", or = { relay = "host:port", user = "", password = "", implicit_tls = false }. */
    private static Map<String, Config.Route> routes(TomlTable table) throws ConfigException {
        Map<String, Config.Route> result = new java.util.LinkedHashMap<>();
        for (String domain : table.keys()) {
            Config.Route route;
            if (table.isTable(domain)) {
                TomlTable entry = table.table(domain);
                String relay = entry.string("relay", "");
                if (relay.isBlank()) {
                    throw entry.error("relay", "missing: give \"host:port\"");
                }
                String user = entry.string("user", "");
                String password = entry.string("password", "");
                if (user.isEmpty() != password.isEmpty()) {
                    throw entry.error(user.isEmpty() ? "user" : "password", "user and password go together");
                }
                route = new Config.Route(relay.strip(), user.isEmpty() ? Optional.empty() : Optional.of(user),
                        password.isEmpty() ? Optional.empty() : Optional.of(password),
                        entry.bool("implicit_tls", false));
                entry.rejectUnknownKeys();
            } else {
                String relay = table.string(domain, "");
                if (relay.isBlank()) {
                    throw table.error(domain, "must be \"host:port\" or a table with relay = \"host:port\"");
                }
                route = new Config.Route(relay.strip(), Optional.empty(), Optional.empty(), false);
            }
            result.put(domain.toLowerCase(Locale.ROOT), route);
        }
        return Map.copyOf(result);
    }

    private static Map<Service, List<HostPort>> listen(TomlTable table) throws ConfigException {
        Map<Service, List<HostPort>> result = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            List<String> defaults = service.defaultAddresses().stream().map(HostPort::toString).toList();
            List<HostPort> addresses = new ArrayList<>();
            for (String text : table.strings(service.key(), defaults)) {
                try {
                    addresses.add(HostPort.parse(text));
                } catch (IllegalArgumentException e) {
                    throw table.error(service.key(), e.getMessage());
                }
            }
            result.put(service, List.copyOf(addresses));
        }
        table.rejectUnknownKeys();
        return result;
    }

    private static String hostname(TomlTable top) throws ConfigException {
        String configured = top.string("hostname", null);
        String name = configured != null ? configured : machineName();
        String ascii;
        try {
            ascii = IDN.toASCII(name.strip().toLowerCase(Locale.ROOT), IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw top.error("hostname", "\"" + name + "\" is not a valid host name");
        }
        if (ascii.isEmpty() || ascii.length() > 253
                || !ascii.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")) {
            throw top.error("hostname", "\"" + name + "\" is not a valid host name");
        }
        return ascii;
    }

    /** The machine's FQDN when DNS or /etc/hosts knows one, else its plain host name, else "localhost". */
    private static String machineName() {
        try {
            InetAddress local = InetAddress.getLocalHost();
            String canonical = local.getCanonicalHostName();
            if (canonical.contains(".") && !canonical.matches("[0-9a-fA-F.:]+")) {
                return canonical;
            }
            String name = local.getHostName();
            return name.isBlank() || name.matches("[0-9a-fA-F.:]+") ? "localhost" : name;
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static Path path(TomlTable table, String key, String defaultValue, Path baseDir) throws ConfigException {
        String text = table.string(key, defaultValue);
        if (text.isBlank()) {
            throw table.error(key, "must not be empty");
        }
        try {
            return baseDir.resolve(text).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw table.error(key, "\"" + text + "\" is not a valid path");
        }
    }

    /** A duration written "30s", "5m", "24h" or "7d". */
    private static Duration duration(TomlTable table, String key, String defaultValue) throws ConfigException {
        String text = table.string(key, defaultValue).strip().toLowerCase(Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})([smhd])").matcher(text);
        if (!m.matches()) {
            throw table.error(key, "\"" + text + "\" is not a duration like \"30s\", \"5m\", \"24h\" or \"7d\"");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static long size(TomlTable table, String key, String defaultValue, long min) throws ConfigException {
        String text = table.string(key, defaultValue);
        long bytes;
        try {
            bytes = ByteSize.parse(text);
        } catch (IllegalArgumentException e) {
            throw table.error(key, e.getMessage());
        }
        if (bytes < min) {
            throw table.error(key, "must be at least " + min + " bytes");
        }
        return bytes;
    }

    private static Optional<Path> optionalPath(TomlTable table, String key, Path baseDir) throws ConfigException {
        String text = table.string(key, "");
        return text.isBlank() ? Optional.empty() : Optional.of(path(table, key, text, baseDir));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

package org.osprey.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole configuration, immutable and validated. Every key has a default, so {@code ConfigLoader.load(null)}
 * gives a working server. Paths are absolute.
 */
public record Config(
        Optional<Path> file,
        Path dataDir,
        String hostname,
        Database database,
        Store store,
        Map<Service, List<HostPort>> listen,
        Tls tls,
        Directory directory,
        Limits limits,
        Auth auth,
        Smtp smtp,
        Submission submission,
        Delivery delivery,
        Imap imap,
        Pop3 pop3,
        Sieve sieve,
        Filter filter) {

    public record Database(String url, String user, String password, int poolSize) {
        @Override
        public String toString() {
            return "Database[url=" + url + ", user=" + user + ", password=***]";
        }
    }

    public record Store(Path root) {
    }

    /** Both empty means: make a self-signed certificate under {@link #selfSignedDir()}. */
    public record Tls(Optional<Path> cert, Optional<Path> key, Path selfSignedDir) {
    }

    /** recipientDelimiter: the characters that start a subaddress ("+" makes john+tag@ reach john); empty for none. */
    public record Directory(String recipientDelimiter, Duration cacheTtl, String passwordScheme) {
    }

    public record Limits(int maxConnections, int maxConnectionsPerIp, Duration shutdownGrace) {
    }

    /**
     * Failed-login throttling: a delay that doubles from the second failure, then a block. {@code plaintextWithoutTls}
     * allows passwords on clear-text connections (IMAP LOGIN, POP3 USER/PASS) for legacy networks; off by default.
     */
    public record Auth(Duration firstDelay, Duration maxDelay, int blockAfterPerIp, int blockAfterPerAccount,
                       Duration blockFor, Duration forgetAfter, boolean plaintextWithoutTls) {
    }

    /** The SMTP server's limits; timeouts as RFC 5321 §4.5.3.2 recommends. */
    public record Smtp(long maxMessageSize, int maxRecipients, int maxErrors, Duration commandTimeout,
                       Duration dataTimeout, int maxReceivedHeaders) {
    }

    /**
     * Submission (587/465). rejectSenderMismatch: the envelope sender and the From: addresses must belong to the
     * logged-in user (Postfix's reject_sender_login_mismatch), except for users of anySenderDomains;
     * receivedClientAddress: whether the Received header shows the client's address (hidden by default, RFC 6409
     * §8 lets a submission server leave it out for the user's privacy).
     */
    public record Submission(boolean rejectSenderMismatch, List<String> anySenderDomains,
                             boolean receivedClientAddress) {
    }

    /**
     * The queue and remote delivery: the retry schedule (first retry, doubling up to maxRetry between tries), how
     * long a message may stay before it bounces (maxLifetime), the optional delay warning (zero: off), how many
     * deliveries run at once; the DNS resolver ("" for the system's), the TLS policy (opportunistic, required,
     * verified, none) by default and per domain, and routes that bypass MX lookups (domain or "*" to a relay).
     */
    public record Delivery(Duration firstRetry, Duration maxRetry, int concurrency, Duration maxLifetime,
                           Duration delayWarning, String resolver, String tlsPolicy, Map<String, String> tlsPolicies,
                           Map<String, Route> routes, Duration connectTimeout, Duration commandTimeout) {
    }

    /** A route: "host:port" of a smart host or sink, with optional AUTH credentials and implicit TLS (port 465). */
    public record Route(String relay, Optional<String> user, Optional<String> password, boolean implicitTls) {
        @Override
        public String toString() {
            return "Route[relay=" + relay + ", user=" + user.orElse("") + ", password=" + (password.isPresent()
                    ? "***" : "") + ", implicitTls=" + implicitTls + "]";
        }
    }

    /**
     * The IMAP server's limits: the largest APPEND (advertised as APPENDLIMIT), how long a client may stay silent
     * (RFC 9051 §5.4: at least 30 minutes), consecutive bad commands before BYE, and the bytes of one command.
     */
    public record Imap(long appendLimit, Duration autologout, int maxErrors, int maxCommandBytes) {
    }

    /** The POP3 server's limits: the autologout timer (RFC 1939 §3: at least 10 minutes) and bad commands. */
    public record Pop3(Duration timeout, int maxErrors) {
    }

    /**
     * Sieve at delivery and ManageSieve. before/after: global scripts run before and after the user's (Pigeonhole's
     * sieve_before/sieve_after); the default before-script is the shipped spam-to-Junk rule under
     * {@link #defaultBeforeScript}. Limits as Pigeonhole's: redirects and actions per message, the vacation
     * period bounds, and the per-user script store.
     */
    public record Sieve(List<Path> before, List<Path> after, Path defaultBeforeScript, int maxRedirects,
                        int maxActions, Duration vacationDefaultPeriod, Duration vacationMinPeriod,
                        Duration vacationMaxPeriod, long maxScriptSize, int maxScripts, long maxStorage) {
    }

    /**
     * Content checks. clamavAddress: clamd's "unix:/path" or "host:port", empty for no virus scanning;
     * clamavOnFailure: "tempfail" (nothing unscanned gets in) or "accept" (with a header). dnsblZones: DNS block
     * lists asked about the client's address on port 25 ("zone" or "zone=127.0.0.2"), none by default;
     * dnsblResolver: "ip[:port]" of the DNS server to ask, empty for the system's. spfEnabled: record the SPF result
     * of mail on port 25 in a Received-SPF header; spfResolver as dnsblResolver.
     */
    /**
     * [filter]: {@code resolver} is the DNS server for SPF, DKIM and DMARC ("" = the system's; [filter.spf] resolver
     * overrides it for SPF); {@code spamdAddress} and {@code rspamdUrl} name optional external scanners ("" = none);
     * {@code dnsblUriZones} ([filter.dnsbl] uri_zones) are URI block lists asked about the domains of a message's
     * links, none by default.
     */
    public record Filter(String clamavAddress, String clamavOnFailure, List<String> dnsblZones,
                         String dnsblResolver, Greylist greylist, boolean spfEnabled, String spfResolver,
                         String resolver, boolean dkimEnabled, boolean dmarcEnabled, Spam spam,
                         String spamdAddress, String rspamdUrl, List<String> dnsblUriZones, Duration timeBudget) {
    }

    /**
     * [filter.spam]: X-Spam-Flag at tagLevel, 550 at rejectLevel; {@code scores} overrides rule scores by name;
     * {@code bayes} turns the learning classifier on, {@code learnFromJunk} trains it when a user moves mail into or
     * out of Junk; {@code bayesMaxTokens} bounds each Bayes database (the rarest tokens expire beyond it).
     */
    public record Spam(boolean enabled, double tagLevel, double rejectLevel, Map<String, Double> scores,
                       boolean bayes, boolean learnFromJunk, int bayesMaxTokens) {
    }

    /** Greylisting on port 25: first try 451, accepted after delay within window; whitelist: CIDR networks. */
    public record Greylist(boolean enabled, Duration delay, Duration window, List<String> whitelist) {
    }

    public List<HostPort> listen(Service service) {
        return listen.getOrDefault(service, List.of());
    }
}

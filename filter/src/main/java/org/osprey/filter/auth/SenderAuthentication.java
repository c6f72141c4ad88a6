package org.osprey.filter.auth;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.osprey.core.metrics.Metrics;
import org.osprey.filter.Findings;
import org.osprey.filter.InboundChecks;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.Verdict;
import org.osprey.filter.dkim.DkimResult;
import org.osprey.filter.dkim.DkimVerifier;
import org.osprey.filter.dmarc.AuthorDomains;
import org.osprey.filter.dmarc.DmarcEvaluator;
import org.osprey.filter.dmarc.DmarcRecord.Policy;
import org.osprey.filter.dmarc.DmarcResult;
import org.osprey.filter.dmarc.OrganizationalDomain;
import org.osprey.filter.dns.TxtLookup;
import org.osprey.filter.greylist.Cidr;
import org.osprey.filter.mail.HeaderField;
import org.osprey.filter.mail.MessageHeader;
import org.osprey.filter.spf.SpfEvaluator;
import org.osprey.filter.spf.SpfResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sender authentication of mail arriving on port 25, at the end of DATA: SPF (RFC 7208) for the MAIL FROM (and the
 * HELO name), DKIM (RFC 6376) for every signature up to {@link DkimVerifier#DEFAULT_MAX_SIGNATURES}, then DMARC
 * (RFC 7489) for each author domain of From. The results go into an Authentication-Results field with our host
 * name as authserv-id (RFC 8601), a Received-SPF field (RFC 7208 §9.1), and {@link Findings} for the spam score
 * (named and scored as {@link #DEFAULT_SCORES}); Authentication-Results fields that came with the message under our
 * name are removed. A DMARC fail under p=reject (sp=reject for a subdomain), sampled by pct=, is refused with 550
 * 5.7.1; under quarantine it gets a score that alone reaches the tag level, so it lands in Junk.
 *
 * <p>The DNS work (SPF, the HELO check, each DKIM key) runs at the same time, within one time budget for all; what
 * has not finished then counts as temperror and the reply is not held (DMARC then cannot fail on it). Logged-in
 * users and trusted networks (the local machine) are not checked, but forged fields are removed for them too.
 * Bad input never throws out of here: an unreadable message is accepted without results.
 */
public final class SenderAuthentication implements InboundChecks {
    private static final Logger log = LoggerFactory.getLogger(SenderAuthentication.class);
    private static final ExecutorService WORKERS = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * The findings this check reports and their default scores, in SpamAssassin's magnitudes (its 50_scores.cf
     * and 60_... files, net scores rounded): SPF and DKIM results are weak hints, since forwarding and mailing lists
     * break them for honest mail; a domain's own DMARC policy is strong. DMARC_QUARANTINE alone reaches the
     * default tag level of 5.0 (X-Spam-Flag: YES, filed into Junk), as the domain asked; DMARC_REJECT is p=reject
     * that pct= sampled out of rejection, which RFC 7489 §6.6.4 turns into quarantine, hence the same score.
     */
    public static final Map<String, Double> DEFAULT_SCORES = Map.ofEntries(
            Map.entry("SPF_PASS", -0.001),
            Map.entry("SPF_NEUTRAL", 0.7),
            Map.entry("SPF_SOFTFAIL", 0.7),
            Map.entry("SPF_FAIL", 0.9),
            Map.entry("SPF_NONE", 0.001),
            Map.entry("SPF_PERMERROR", 0.01),
            Map.entry("SPF_TEMPERROR", 0.01),
            Map.entry("SPF_HELO_PASS", -0.001),
            Map.entry("SPF_HELO_NEUTRAL", 0.1),
            Map.entry("SPF_HELO_SOFTFAIL", 0.7),
            Map.entry("SPF_HELO_FAIL", 0.9),
            Map.entry("SPF_HELO_NONE", 0.001),
            Map.entry("SPF_HELO_PERMERROR", 0.01),
            Map.entry("SPF_HELO_TEMPERROR", 0.01),
            Map.entry("DKIM_VALID", -0.1),
            Map.entry("DKIM_VALID_AU", -0.1),
            Map.entry("DKIM_INVALID", 0.1),
            Map.entry("DMARC_PASS", -0.1),
            Map.entry("DMARC_MISSING", 0.001),
            Map.entry("DMARC_NONE", 1.0),
            Map.entry("DMARC_QUARANTINE", 6.0),
            Map.entry("DMARC_REJECT", 6.0));

    /** How long one DNS query may take. */
    static final Duration DNS_TIMEOUT = Duration.ofSeconds(3);
    /** The whole check, all its DNS work included (Postfix's policy daemons get about as long). */
    static final Duration BUDGET = Duration.ofSeconds(10);

    private final String hostname;
    private final Optional<SpfEvaluator> spf;
    private final Optional<DkimVerifier> dkim;
    private final Optional<DmarcEvaluator> dmarc;
    private final Duration budget;
    private final List<Cidr> trusted;

    /**
     * @param hostname our host name, the authserv-id
     * @param spf      empty when SPF is off
     * @param dkim     empty when DKIM verification is off
     * @param dmarc    empty when DMARC is off
     * @param budget   how long the whole check may take
     * @param trusted  networks whose mail is not checked
     */
    public SenderAuthentication(String hostname, Optional<SpfEvaluator> spf, Optional<DkimVerifier> dkim,
                                Optional<DmarcEvaluator> dmarc, Duration budget, List<Cidr> trusted) {
        this.hostname = hostname;
        this.spf = spf;
        this.dkim = dkim;
        this.dmarc = dmarc;
        this.budget = budget;
        this.trusted = List.copyOf(trusted);
    }

    /**
     * The check as configured: SPF asks {@code spfResolver}, or {@code resolver} when that is empty; DKIM and DMARC
     * ask {@code resolver} ("" = the system's resolvers; "ip[:port]" one server).
     *
     * @throws IllegalArgumentException a resolver is not an IP address with an optional port
     */
    public static SenderAuthentication configured(String hostname, String resolver, String spfResolver,
                                                  boolean spfEnabled, boolean dkimEnabled, boolean dmarcEnabled,
                                                  List<Cidr> trusted) {
        String spfServer = spfResolver.isBlank() ? resolver : spfResolver;
        TxtLookup txt = TxtLookup.of(Optional.of(resolver).filter(r -> !r.isBlank()), DNS_TIMEOUT)
                .remembering(Duration.ofMinutes(10), 10_000);
        return new SenderAuthentication(hostname,
                spfEnabled ? Optional.of(new SpfEvaluator(Optional.of(spfServer).filter(r -> !r.isBlank()),
                        DNS_TIMEOUT, hostname)) : Optional.empty(),
                dkimEnabled ? Optional.of(new DkimVerifier(txt, Clock.systemUTC(),
                        DkimVerifier.DEFAULT_MAX_SIGNATURES)) : Optional.empty(),
                // pct= sampling; ThreadLocalRandom, as messages are checked on many threads at once
                dmarcEnabled ? Optional.of(new DmarcEvaluator(txt, () -> ThreadLocalRandom.current().nextLong()))
                        : Optional.empty(),
                BUDGET, trusted);
    }

    @Override
    public Verdict data(SmtpFacts facts, String sender, List<String> recipients, MessageAccess message,
                        Findings findings) {
        MessageHeader header;
        try (InputStream in = new BufferedInputStream(message.open())) {
            header = MessageHeader.read(in);
        } catch (IOException | RuntimeException e) {
            log.warn("sender authentication: cannot read the message: {}", e.toString());
            return Verdict.ACCEPT;
        }
        Set<Integer> forged = AuthenticationResults.forged(header, hostname);
        InetAddress client = facts.client();
        if (facts.authenticatedUser().isPresent() || trusted.stream().anyMatch(n -> n.contains(client))) {
            return forged.isEmpty() ? Verdict.ACCEPT : new Verdict.Accept(List.of(), forged);
        }
        long deadline = System.nanoTime() + budget.toNanos();
        String helo = facts.helo().orElse("");
        String from = sender == null ? "" : sender;

        Optional<Future<SpfResult>> mailFrom = spf.map(e -> submit(() -> e.check(client, from, helo)));
        Optional<Future<SpfResult>> heloCheck = spf.filter(e -> !from.isEmpty() && !helo.isEmpty())
                .map(e -> submit(() -> e.check(client, "", helo)));
        List<DkimVerifier.Pending> pending = List.of();
        if (dkim.isPresent() && header.first("DKIM-Signature").isPresent()) {
            try (InputStream in = message.open()) {
                pending = dkim.get().read(in);
            } catch (IOException | RuntimeException e) {
                log.warn("sender authentication: cannot read the message for DKIM: {}", e.toString());
            }
        }
        List<Future<DkimResult>> keys = new ArrayList<>();
        for (DkimVerifier.Pending p : pending) {
            keys.add(submit(() -> dkim.get().verify(p)));
        }
        // The policy records need no SPF or DKIM result: look them up at the same time. At most three author
        // domains are checked; a message with more From domains than that is rare and gains nothing by it.
        List<String> authorDomains = AuthorDomains.of(header.all("From").stream().map(HeaderField::value).toList());
        List<Future<DmarcEvaluator.PolicyLookup>> policies = new ArrayList<>();
        List<String> checkedDomains = dmarc.isPresent() ? authorDomains.stream().limit(3).toList() : List.of();
        for (String domain : checkedDomains) {
            policies.add(submit(() -> dmarc.get().policy(domain)));
        }

        Optional<SpfResult> spfResult = mailFrom.map(f -> await(f, deadline, () -> temperror(client, from, helo)));
        Optional<SpfResult> heloResult = heloCheck.map(f -> await(f, deadline, () -> temperror(client, "", helo)));
        List<DkimResult> dkimResults = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            DkimVerifier.Pending p = pending.get(i);
            dkimResults.add(await(keys.get(i), deadline, () -> p.temporaryError("key lookup took too long")));
        }
        List<DmarcResult> dmarcResults = new ArrayList<>();
        for (int i = 0; i < checkedDomains.size(); i++) {
            String domain = checkedDomains.get(i);
            DmarcEvaluator.PolicyLookup policy = await(policies.get(i), deadline,
                    () -> DmarcEvaluator.PolicyLookup.timedOut(domain));
            dmarcResults.add(dmarc.get().evaluate(policy, spfResult, dkimResults));
        }

        report(findings, spfResult, heloResult, dkimResults, authorDomains, dmarcResults);
        count(spfResult, dkimResults, dmarcResults);
        if (log.isDebugEnabled()) {
            log.debug("sender authentication: client={} from=<{}>: spf={} dkim={} dmarc={}",
                    client.getHostAddress(), from, spfResult.map(r -> r.code().keyword()).orElse("-"), dkimResults,
                    dmarcResults.stream().map(r -> r.fromDomain() + " " + r.code().keyword() + " "
                            + r.disposition().keyword()).toList());
        }
        Optional<DmarcResult> rejected = dmarcResults.stream()
                .filter(r -> r.disposition() == Policy.REJECT).findFirst();
        if (rejected.isPresent()) {
            DmarcResult r = rejected.get();
            // the tag that asked for it: p=, or sp= when only the subdomain policy says reject
            String tag = r.record().filter(record -> record.policy() != Policy.REJECT).isPresent() ? "sp" : "p";
            return new Verdict.Reject(550, "5.7.1", "Rejected by the DMARC policy of " + r.fromDomain() + " ("
                    + tag + "=reject): the message has no aligned SPF or DKIM pass for " + r.fromDomain());
        }
        List<String> results = new ArrayList<>();
        spfResult.ifPresent(r -> results.add(r.authenticationResults()));
        dkimResults.forEach(r -> results.add(AuthenticationResults.dkim(r)));
        if (dkim.isPresent() && dkimResults.isEmpty()) {
            results.add("dkim=none (no signature)");
        }
        dmarcResults.forEach(r -> results.add(AuthenticationResults.dmarc(r)));
        List<String> headers = new ArrayList<>();
        if (spf.isPresent() || dkim.isPresent() || dmarc.isPresent()) {
            headers.add(AuthenticationResults.field(hostname, results));
        }
        spfResult.ifPresent(r -> headers.add(r.receivedSpf(hostname)));
        return new Verdict.Accept(headers, forged);
    }

    /** Adds the named findings of SPF, DKIM and DMARC. */
    private static void report(Findings findings, Optional<SpfResult> spf, Optional<SpfResult> helo,
                               List<DkimResult> dkim, List<String> authorDomains, List<DmarcResult> dmarc) {
        spf.ifPresent(r -> findings.add("SPF_" + r.code().name(), "SPF " + r.code().keyword() + " for "
                + r.sender() + " from " + r.client().getHostAddress()));
        helo.ifPresent(r -> findings.add("SPF_HELO_" + r.code().name(), "SPF " + r.code().keyword()
                + " for HELO " + r.helo()));
        List<DkimResult> valid = dkim.stream().filter(r -> r.code() == DkimResult.Code.PASS).toList();
        if (!valid.isEmpty()) {
            findings.add("DKIM_VALID", "valid DKIM signature of " + valid.getFirst().domain());
            valid.stream().filter(r -> authorDomains.stream()
                            .anyMatch(a -> OrganizationalDomain.aligned(a, r.domain(), false)))
                    .findFirst()
                    .ifPresent(r -> findings.add("DKIM_VALID_AU", "valid DKIM signature of the author domain "
                            + r.domain()));
        } else if (!dkim.isEmpty()) {
            findings.add("DKIM_INVALID", "DKIM signature present but not valid: " + dkim.getFirst());
        }
        // The most severe author domain decides, so a second From cannot dilute the first.
        dmarc.stream().max(Comparator.comparing(SenderAuthentication::severity)).ifPresent(r -> {
            String detail = "DMARC " + r.code().keyword() + " for " + r.fromDomain() + ": " + r.reason();
            switch (r.code()) {
                case PASS -> findings.add("DMARC_PASS", detail);
                case NONE -> findings.add("DMARC_MISSING", detail);
                case FAIL -> findings.add(switch (r.disposition()) {
                    case REJECT, QUARANTINE -> r.policy() == Policy.REJECT ? "DMARC_REJECT" : "DMARC_QUARANTINE";
                    case NONE -> "DMARC_NONE";
                }, detail + " (p=" + r.policy().keyword() + ", applied " + r.disposition().keyword() + ")");
                case TEMPERROR, PERMERROR -> {
                }
            }
        });
    }

    /** {@code osprey_filter_auth_results_total{method,result}}: how much mail passes what. */
    private static void count(Optional<SpfResult> spf, List<DkimResult> dkim, List<DmarcResult> dmarc) {
        spf.ifPresent(r -> Metrics.count("osprey_filter_auth_results_total", "method", "spf", "result",
                r.code().keyword()));
        dkim.forEach(r -> Metrics.count("osprey_filter_auth_results_total", "method", "dkim", "result",
                r.code().keyword()));
        dmarc.forEach(r -> Metrics.count("osprey_filter_auth_results_total", "method", "dmarc", "result",
                r.code().keyword()));
    }

    private static int severity(DmarcResult r) {
        return switch (r.code()) {
            case FAIL -> 10 + r.disposition().ordinal();
            case TEMPERROR, PERMERROR -> 3;
            case NONE -> 2;
            case PASS -> 1;
        };
    }

    private static <T> Future<T> submit(Callable<T> task) {
        return WORKERS.submit(task);
    }

    private interface Fallback<T> {
        T get();
    }

    /** The task's answer by the deadline, or the fallback (it is then cancelled, the reply not held for it). */
    private static <T> T await(Future<T> task, long deadline, Fallback<T> fallback) {
        try {
            return task.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            return fallback.get();
        } catch (ExecutionException e) {
            log.error("sender authentication: a check failed", e.getCause());
            return fallback.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            return fallback.get();
        }
    }

    private SpfResult temperror(InetAddress client, String from, String helo) {
        boolean bounce = from.isEmpty();
        return new SpfResult(SpfResult.Code.TEMPERROR, "SPF check took longer than " + budget.toMillis() + " ms",
                client, bounce ? "postmaster@" + helo : from, bounce ? "helo" : "mailfrom", helo, Optional.empty());
    }
}

package org.osprey.filter.dmarc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.osprey.filter.dkim.DkimResult;
import org.osprey.filter.dmarc.DmarcRecord.Policy;
import org.osprey.filter.dns.TxtLookup;
import org.osprey.filter.spf.SpfResult;

/**
 * DMARC for one author domain (RFC 7489): finds the policy record at {@code _dmarc.<From domain>}, else at
 * {@code _dmarc.<organizational domain>} (§6.6.3); the message passes when SPF passed for an aligned MAIL FROM
 * domain or a DKIM signature of an aligned d= verified (§3.1, relaxed or strict as the record says). A fail takes
 * p= (sp= for a subdomain of where the record was found), applied to pct= percent of failing mail, the rest getting
 * the next milder policy (§6.6.4). A fail that a temporary error could have turned into a pass is temperror, so
 * DNS trouble never rejects mail. Thread-safe if the random generator is.
 */
public final class DmarcEvaluator {
    private final TxtLookup dns;
    private final RandomGenerator random;

    /** {@code random} samples pct= (a test passes a fixed one). */
    public DmarcEvaluator(TxtLookup dns, RandomGenerator random) {
        this.dns = dns;
        this.random = random;
    }

    /**
     * The DMARC result for one author domain: {@link #policy} and then
     * {@link #evaluate(PolicyLookup, Optional, List)}.
     *
     * @param fromDomain the RFC5322.From domain
     * @param spf        the SPF result of the MAIL FROM (or HELO) identity, if SPF ran
     * @param dkim       the result of every verified signature
     */
    public DmarcResult evaluate(String fromDomain, Optional<SpfResult> spf, List<DkimResult> dkim) {
        return evaluate(policy(fromDomain), spf, dkim);
    }

    /**
     * The DNS part: the policy record of the author domain, at {@code _dmarc.<domain>} or else at
     * {@code _dmarc.<organizational domain>}. It needs no SPF or DKIM result, so it can run beside them.
     */
    public PolicyLookup policy(String fromDomain) {
        String from = fromDomain.toLowerCase(Locale.ROOT);
        String orgDomain = OrganizationalDomain.of(from);
        try {
            Found found = policyRecord(from);
            if (found == null && !orgDomain.equals(from)) {
                found = policyRecord(orgDomain);
            }
            return new PolicyLookup(from, Optional.ofNullable(found), "");
        } catch (LookupFailed e) {
            return new PolicyLookup(from, Optional.empty(), e.getMessage());
        }
    }

    /**
     * The policy found for an author domain: the record and where it was, none, or why the DNS could not say
     * ({@code failure} not empty).
     */
    public record PolicyLookup(String fromDomain, Optional<Found> found, String failure) {
        /** The lookup that could not finish in time. */
        public static PolicyLookup timedOut(String fromDomain) {
            return new PolicyLookup(fromDomain.toLowerCase(Locale.ROOT), Optional.empty(),
                    "DMARC record lookup took too long");
        }
    }

    /** The result, from the policy found and the SPF and DKIM results (no DNS). */
    public DmarcResult evaluate(PolicyLookup lookup, Optional<SpfResult> spf, List<DkimResult> dkim) {
        String from = lookup.fromDomain();
        if (!lookup.failure().isEmpty()) {
            return new DmarcResult(DmarcResult.Code.TEMPERROR, from, Optional.empty(), Policy.NONE, Policy.NONE,
                    lookup.failure());
        }
        if (lookup.found().isEmpty()) {
            return new DmarcResult(DmarcResult.Code.NONE, from, Optional.empty(), Policy.NONE, Policy.NONE,
                    "no DMARC record");
        }
        Found found = lookup.found().get();
        DmarcRecord record = found.record();
        List<String> passes = new ArrayList<>();
        boolean temporary = false;
        if (spf.isPresent()) {
            String spfDomain = domainOf(spf.get().sender());
            boolean aligned = OrganizationalDomain.aligned(spfDomain, from, record.strictSpf());
            if (aligned && spf.get().code() == SpfResult.Code.PASS) {
                passes.add("SPF " + spfDomain);
            }
            temporary |= aligned && spf.get().code() == SpfResult.Code.TEMPERROR;
        }
        for (DkimResult signature : dkim) {
            boolean aligned = !signature.domain().isEmpty()
                    && OrganizationalDomain.aligned(signature.domain(), from, record.strictDkim());
            if (aligned && signature.code() == DkimResult.Code.PASS) {
                passes.add("DKIM " + signature.domain());
            }
            temporary |= aligned && signature.code() == DkimResult.Code.TEMPERROR;
        }
        if (!passes.isEmpty()) {
            return new DmarcResult(DmarcResult.Code.PASS, from, Optional.of(record), Policy.NONE, Policy.NONE,
                    "aligned " + String.join(", ", passes));
        }
        if (temporary) {
            return new DmarcResult(DmarcResult.Code.TEMPERROR, from, Optional.of(record), Policy.NONE, Policy.NONE,
                    "an aligned check could not finish");
        }
        Policy policy = record.policyFor(from, found.domain());
        Policy disposition = policy;
        if (policy != Policy.NONE && random.nextDouble() * 100 >= record.percent()) {
            disposition = policy == Policy.REJECT ? Policy.QUARANTINE : Policy.NONE;
        }
        return new DmarcResult(DmarcResult.Code.FAIL, from, Optional.of(record), policy, disposition,
                "no aligned SPF or DKIM pass");
    }

    /** A usable policy record and the domain it was found at. */
    public record Found(String domain, DmarcRecord record) {
    }

    private static final class LookupFailed extends Exception {
        LookupFailed(String message) {
            super(message);
        }
    }

    /** The one usable DMARC record of the domain, or null (none, several, or a broken one: §6.6.3). */
    private Found policyRecord(String domain) throws LookupFailed {
        switch (dns.lookup("_dmarc." + domain)) {
            case TxtLookup.Answer.Failed failed -> throw new LookupFailed(failed.reason());
            case TxtLookup.Answer.NotFound notFound -> {
                return null;
            }
            case TxtLookup.Answer.Found answer -> {
                List<String> records = answer.texts().stream().filter(DmarcRecord::isDmarc).toList();
                if (records.size() != 1) {
                    return null;
                }
                try {
                    return new Found(domain, DmarcRecord.parse(records.getFirst()));
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
    }

    private static String domainOf(String address) {
        String d = address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }
}

package org.osprey.filter.dmarc;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.osprey.filter.dkim.TagList;

/**
 * A DMARC policy record from {@code _dmarc.<domain>} (RFC 7489 §6.3), the parts a receiver enforces: the policy for
 * the domain (p=) and its subdomains (sp=, default p=), strict or relaxed alignment for DKIM (adkim=) and SPF
 * (aspf=), and the percentage of failing mail the policy applies to (pct=). Reporting tags (rua=, ruf=, fo=, ri=)
 * are read past: Osprey sends no reports.
 */
public record DmarcRecord(Policy policy, Optional<Policy> subdomainPolicy, boolean strictDkim, boolean strictSpf,
                          int percent) {

    /** The requested handling of mail that fails DMARC. */
    public enum Policy {
        NONE, QUARANTINE, REJECT;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Policy> of(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "none" -> Optional.of(NONE);
                case "quarantine" -> Optional.of(QUARANTINE);
                case "reject" -> Optional.of(REJECT);
                default -> Optional.empty();
            };
        }
    }

    /** True when the text starts with the v=DMARC1 tag, which is what marks a DMARC record among other TXT. */
    public static boolean isDmarc(String text) {
        return text.strip().matches("(?s)v[ \t]*=[ \t]*DMARC1[ \t]*(;.*)?");
    }

    /**
     * Parses a record that {@link #isDmarc} accepted.
     *
     * @throws IllegalArgumentException the record is unusable: broken tag list, or no valid p= (§6.6.3: such a
     *                                  record is as if there were none; with rua= it would count as p=none, which
     *                                  changes nothing here since we do not report)
     */
    public static DmarcRecord parse(String text) {
        Map<String, String> tags = TagList.parse(text);
        Iterator<String> names = tags.keySet().iterator();
        if (!names.hasNext() || !names.next().equals("v") || !tags.get("v").equals("DMARC1")) {
            throw new IllegalArgumentException("not a DMARC1 record");
        }
        Policy policy = Optional.ofNullable(tags.get("p")).flatMap(Policy::of)
                .orElseThrow(() -> new IllegalArgumentException("no valid p="));
        Optional<Policy> subdomains = Optional.ofNullable(tags.get("sp")).flatMap(Policy::of);
        int percent = 100;
        String pct = tags.get("pct");
        if (pct != null && pct.matches("[0-9]{1,3}")) {
            percent = Math.min(100, Integer.parseInt(pct));
        }
        return new DmarcRecord(policy, subdomains, "s".equalsIgnoreCase(tags.get("adkim")),
                "s".equalsIgnoreCase(tags.get("aspf")), percent);
    }

    /** The policy for mail from {@code fromDomain} when this record was found at {@code recordDomain}. */
    public Policy policyFor(String fromDomain, String recordDomain) {
        return fromDomain.equalsIgnoreCase(recordDomain) ? policy : subdomainPolicy.orElse(policy);
    }
}

package org.osprey.filter.dmarc;

import java.util.Locale;
import java.util.Optional;

/**
 * The DMARC outcome for one author domain (RFC 7489 §6.6, reported as in RFC 8601 §2.7.5).
 *
 * @param code        pass, fail, none (no policy published), temperror (DNS trouble, or a check that could have
 *                    passed could not finish), permerror
 * @param fromDomain  the RFC5322.From domain
 * @param record      the policy record, when one was found
 * @param policy      for a fail: the policy that applies (p= or, for a subdomain, sp=); NONE otherwise
 * @param disposition what to do after pct= sampling: the policy, or the next milder one when sampled out
 * @param reason      what decided, for the header comment and the log
 */
public record DmarcResult(Code code, String fromDomain, Optional<DmarcRecord> record, DmarcRecord.Policy policy,
                          DmarcRecord.Policy disposition, String reason) {
    public enum Code {
        PASS, FAIL, NONE, TEMPERROR, PERMERROR;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** True when the policy applied in full, false when pct= sampled this message out to a milder one. */
    public boolean sampledOut() {
        return disposition != policy;
    }
}

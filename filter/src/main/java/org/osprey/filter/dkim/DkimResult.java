package org.osprey.filter.dkim;

/**
 * The outcome of verifying one DKIM signature, with what Authentication-Results reports of it (RFC 8601 §2.7.1,
 * RFC 6008 for header.b).
 *
 * @param code      the result
 * @param domain    d= (empty when the signature was too broken to name it)
 * @param selector  s= (may be empty, as domain)
 * @param algorithm a= (may be empty, as domain)
 * @param identity  i=, or "@" + d= (may be empty, as domain)
 * @param headerB   the first 8 characters of b=, which tell two signatures of one domain apart
 * @param reason    why it is not a pass, for the comment in the header; empty for a pass
 * @param testing   the key record said t=y (the domain is only testing DKIM)
 */
public record DkimResult(Code code, String domain, String selector, String algorithm, String identity,
                         String headerB, String reason, boolean testing) {
    /** The dkim= results of RFC 8601 §2.7.1 that a verifier can reach. */
    public enum Code {
        PASS, FAIL, TEMPERROR, PERMERROR;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static DkimResult of(Code code, DkimSignature signature, String reason, boolean testing) {
        String b = signature.rawSignatureText();
        return new DkimResult(code, signature.domain(), signature.selector(), signature.algorithm(),
                signature.identity(), b.substring(0, Math.min(8, b.length())), reason, testing);
    }

    @Override
    public String toString() {
        return code.keyword() + " d=" + domain + " s=" + selector + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
}

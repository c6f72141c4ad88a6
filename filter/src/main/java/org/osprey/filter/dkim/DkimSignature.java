package org.osprey.filter.dkim;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One DKIM-Signature field, parsed (RFC 6376 §3.5). Only what verification needs is kept; tags it does not know
 * are ignored, as §3.2 requires.
 *
 * @param algorithm        a=, "rsa-sha256" or "ed25519-sha256" (RFC 8463)
 * @param signature        b=, decoded
 * @param bodyHash         bh=, decoded
 * @param headerCanon      the first half of c= (default simple)
 * @param bodyCanon        the second half of c= (default simple)
 * @param domain           d=, lower case, without a final dot
 * @param headers          h=, the signed field names in lower case, in order
 * @param identity         i=, or "@" + d= when absent
 * @param bodyLength       l=, when the signer hashed only this many octets of the canonical body
 * @param selector         s=
 * @param signedAt         t=, seconds since 1970, when given
 * @param expires          x=, seconds since 1970, when given
 * @param rawSignatureText the b= value as written, for the header.b of Authentication-Results (RFC 6008)
 */
public record DkimSignature(String algorithm, byte[] signature, byte[] bodyHash, Canonicalization headerCanon,
                            Canonicalization bodyCanon, String domain, List<String> headers, String identity,
                            OptionalLong bodyLength, String selector, OptionalLong signedAt, OptionalLong expires,
                            String rawSignatureText) {
    public static final String RSA_SHA256 = "rsa-sha256";
    public static final String ED25519_SHA256 = "ed25519-sha256";

    /**
     * Parses the field's value (after "DKIM-Signature:", folds allowed).
     *
     * @throws IllegalArgumentException with what is wrong, when the signature cannot be verified for its syntax
     *                                  (§6.1.1: PERMFAIL)
     */
    public static DkimSignature parse(String value) {
        Map<String, String> tags = TagList.parse(value);
        for (String required : List.of("v", "a", "b", "bh", "d", "h", "s")) {
            if (!tags.containsKey(required)) {
                throw new IllegalArgumentException("no " + required + "= tag");
            }
        }
        if (!tags.get("v").equals("1")) {
            throw new IllegalArgumentException("unsupported version v=" + tags.get("v"));
        }
        String algorithm = TagList.lower(tags.get("a"));
        if (!algorithm.equals(RSA_SHA256) && !algorithm.equals(ED25519_SHA256)) {
            // RFC 8301 §3.1: rsa-sha1 signatures are not to be considered valid any more
            throw new IllegalArgumentException("unsupported algorithm a=" + tags.get("a"));
        }
        String b = TagList.withoutSpace(tags.get("b"));
        byte[] signature = base64(b, "b");
        byte[] bodyHash = base64(TagList.withoutSpace(tags.get("bh")), "bh");
        String[] c = TagList.lower(tags.getOrDefault("c", "simple/simple")).split("/", -1);
        if (c.length > 2) {
            throw new IllegalArgumentException("bad c=" + tags.get("c"));
        }
        Canonicalization headerCanon = Canonicalization.of(c[0].strip())
                .orElseThrow(() -> new IllegalArgumentException("unknown canonicalization c=" + tags.get("c")));
        Canonicalization bodyCanon = c.length == 1 ? Canonicalization.SIMPLE : Canonicalization.of(c[1].strip())
                .orElseThrow(() -> new IllegalArgumentException("unknown canonicalization c=" + tags.get("c")));
        String domain = domain(tags.get("d"));
        List<String> headers = new ArrayList<>();
        for (String name : tags.get("h").split(":", -1)) {
            String n = TagList.lower(name.strip());
            if (n.isEmpty()) {
                throw new IllegalArgumentException("empty name in h=");
            }
            headers.add(n);
        }
        if (!headers.contains("from")) {
            throw new IllegalArgumentException("h= does not include From"); // §5.4
        }
        String identity = tags.containsKey("i") ? tags.get("i") : "@" + domain;
        int at = identity.lastIndexOf('@');
        String identityDomain = at < 0 ? "" : TagList.lower(identity.substring(at + 1));
        if (at < 0 || !(identityDomain.equals(domain) || identityDomain.endsWith("." + domain))) {
            throw new IllegalArgumentException("i=" + identity + " is not in d=" + domain); // §6.1.1
        }
        String selector = TagList.lower(tags.get("s"));
        if (!selector.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)*")) {
            throw new IllegalArgumentException("bad selector s=" + tags.get("s"));
        }
        OptionalLong bodyLength = number(tags, "l");
        OptionalLong signedAt = number(tags, "t");
        OptionalLong expires = number(tags, "x");
        if (expires.isPresent() && signedAt.isPresent() && expires.getAsLong() < signedAt.getAsLong()) {
            throw new IllegalArgumentException("x= is before t="); // §3.5
        }
        return new DkimSignature(algorithm, signature, bodyHash, headerCanon, bodyCanon, domain, List.copyOf(headers),
                identity, bodyLength, selector, signedAt, expires, b);
    }

    /** The DNS name of the key: {@code <s>._domainkey.<d>} (§3.6.2.1). */
    public String keyName() {
        return selector + "._domainkey." + domain;
    }

    private static String domain(String text) {
        String d = TagList.lower(text.strip());
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (!d.matches("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)+") || d.length() > 253) {
            throw new IllegalArgumentException("bad domain d=" + text);
        }
        return d;
    }

    private static byte[] base64(String text, String tag) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad base64 in " + tag + "=");
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException("empty " + tag + "=");
        }
        return bytes;
    }

    private static OptionalLong number(Map<String, String> tags, String name) {
        String text = tags.get(name);
        if (text == null) {
            return OptionalLong.empty();
        }
        if (!text.matches("[0-9]{1,76}")) {
            throw new IllegalArgumentException("bad " + name + "=" + text);
        }
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            // more digits than a long holds: later than any time, longer than any body
            return OptionalLong.of(Long.MAX_VALUE);
        }
    }
}

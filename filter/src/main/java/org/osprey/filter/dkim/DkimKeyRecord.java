package org.osprey.filter.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A DKIM key record from {@code <selector>._domainkey.<domain>} (RFC 6376 §3.6.1), parsed into the public key and
 * the flags verification needs.
 *
 * @param key      the public key; empty p= (a revoked key) is refused by {@link #parse}
 * @param keyType  k=, "rsa" or "ed25519"
 * @param strict   t=s: the i= domain must be d= itself, not a subdomain
 * @param testing  t=y: the domain is testing DKIM (told in the result, it changes nothing else)
 */
public record DkimKeyRecord(PublicKey key, String keyType, boolean strict, boolean testing) {
    /** RFC 8301 §3.2: verifiers must not accept RSA keys shorter than 1024 bits. */
    static final int MIN_RSA_BITS = 1024;
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), before the 32 raw key bytes. */
    private static final byte[] ED25519_SPKI = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    /** Why a key record cannot be used; {@code revoked} tells the empty p= of §3.6.1 from a broken record. */
    public static final class KeyException extends Exception {
        private final boolean revoked;

        KeyException(String message, boolean revoked) {
            super(message);
            this.revoked = revoked;
        }

        public boolean revoked() {
            return revoked;
        }
    }

    /** Parses the record's text (its strings joined). */
    public static DkimKeyRecord parse(String text) throws KeyException {
        Map<String, String> tags;
        try {
            tags = TagList.parse(text);
        } catch (IllegalArgumentException e) {
            throw new KeyException("bad key record: " + e.getMessage(), false);
        }
        String version = tags.get("v");
        if (version != null && (!version.equals("DKIM1") || !tags.keySet().iterator().next().equals("v"))) {
            throw new KeyException("bad key record version v=" + version, false); // v= must come first
        }
        String hashes = tags.get("h");
        if (hashes != null && Arrays.stream(hashes.split(":")).map(String::strip).noneMatch("sha256"::equals)) {
            throw new KeyException("key not for sha256 (h=" + hashes + ")", false);
        }
        String services = tags.get("s");
        if (services != null && Arrays.stream(services.split(":")).map(String::strip)
                .noneMatch(s -> s.equals("*") || s.equals("email"))) {
            throw new KeyException("key not for email (s=" + services + ")", false);
        }
        List<String> flags = Arrays.stream(tags.getOrDefault("t", "").split(":")).map(String::strip).toList();
        String keyType = TagList.lower(tags.getOrDefault("k", "rsa"));
        String p = tags.get("p");
        if (p == null) {
            throw new KeyException("key record has no p=", false);
        }
        p = TagList.withoutSpace(p);
        if (p.isEmpty()) {
            throw new KeyException("key revoked", true); // §3.6.1: an empty p= means the key was revoked
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(p);
        } catch (IllegalArgumentException e) {
            throw new KeyException("bad base64 in p=", false);
        }
        return new DkimKeyRecord(publicKey(keyType, data), keyType, flags.contains("s"), flags.contains("y"));
    }

    private static PublicKey publicKey(String keyType, byte[] data) throws KeyException {
        try {
            switch (keyType) {
                case "rsa" -> {
                    PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(data));
                    int bits = ((RSAPublicKey) key).getModulus().bitLength();
                    if (bits < MIN_RSA_BITS) {
                        throw new KeyException("RSA key of " + bits + " bits is too short", false);
                    }
                    return key;
                }
                case "ed25519" -> {
                    if (data.length != 32) { // RFC 8463 §4.2: the raw 32-byte key, not an SPKI
                        throw new KeyException("Ed25519 key is not 32 bytes", false);
                    }
                    byte[] spki = Arrays.copyOf(ED25519_SPKI, ED25519_SPKI.length + 32);
                    System.arraycopy(data, 0, spki, ED25519_SPKI.length, 32);
                    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
                }
                default -> throw new KeyException("unknown key type k=" + keyType, false);
            }
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new KeyException("bad " + keyType + " key in p=", false);
        }
    }

    /** Whether this key may verify signatures made with {@code algorithm} (a= of the signature). */
    public boolean fits(String algorithm) {
        return algorithm.equals(keyType + "-sha256");
    }
}

package org.osprey.delivery.dkim;

import java.util.Locale;
import java.util.Optional;

/**
 * The two DKIM signing algorithms Osprey signs with: rsa-sha256 (RFC 6376 §3.3.1), which every verifier knows, and
 * ed25519-sha256 (RFC 8463), small and fast but not yet checked everywhere, so it is only ever added beside RSA.
 * {@link #keyType()} is both the k= tag of the DNS record and the middle part of the key file's name.
 */
public enum DkimAlgorithm {
    RSA("rsa", "rsa-sha256", "RSA"),
    ED25519("ed25519", "ed25519-sha256", "Ed25519");

    private final String keyType;
    private final String tag;
    private final String jcaName;

    DkimAlgorithm(String keyType, String tag, String jcaName) {
        this.keyType = keyType;
        this.tag = tag;
        this.jcaName = jcaName;
    }

    /** The k= value of the key record and the file name part: "rsa", "ed25519". */
    public String keyType() {
        return keyType;
    }

    /** The a= value of the signature: "rsa-sha256", "ed25519-sha256". */
    public String tag() {
        return tag;
    }

    /**
     * The selector {@code osprey dkim generate} uses when given none: "osprey" for RSA, "osprey-ed25519" for
     * Ed25519. They differ because a selector names one DNS record, and one record holds one key.
     */
    public String defaultSelector() {
        return this == RSA ? "osprey" : "osprey-" + keyType;
    }

    /** The JCA name of the key algorithm (KeyFactory, KeyPairGenerator). */
    String jcaName() {
        return jcaName;
    }

    public static Optional<DkimAlgorithm> ofKeyType(String keyType) {
        String lower = keyType.toLowerCase(Locale.ROOT);
        for (DkimAlgorithm algorithm : values()) {
            if (algorithm.keyType.equals(lower)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }
}

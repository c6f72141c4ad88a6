package org.osprey.directory.password;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.osprey.directory.password.DigestScheme.Encoding;

/**
 * The Dovecot scheme names Osprey can check, and how each is checked. The crypt-style schemes accept the
 * modular formats Dovecot would: it checks CRYPT, SHA256-CRYPT and SHA512-CRYPT with crypt(3), which picks
 * the algorithm from the "$id$" prefix, and ARGON2I/ARGON2ID with libsodium, which reads the variant from
 * the string; BLF-CRYPT and MD5-CRYPT take only their own format.
 */
enum DovecotScheme {
    BLF_CRYPT(EnumSet.of(CryptKind.BCRYPT), null, "BLF-CRYPT"),
    SHA512_CRYPT(CryptKind.CRYPT3, null, "SHA512-CRYPT"),
    SHA256_CRYPT(CryptKind.CRYPT3, null, "SHA256-CRYPT"),
    CRYPT(CryptKind.CRYPT3, null, "CRYPT"),
    MD5_CRYPT(EnumSet.of(CryptKind.MD5_CRYPT), null, "MD5-CRYPT"),
    ARGON2ID(EnumSet.of(CryptKind.ARGON2ID, CryptKind.ARGON2I), null, "ARGON2ID"),
    ARGON2I(EnumSet.of(CryptKind.ARGON2ID, CryptKind.ARGON2I), null, "ARGON2I"),
    SSHA512(Set.of(), DigestScheme.SSHA512, "SSHA512"),
    SSHA256(Set.of(), DigestScheme.SSHA256, "SSHA256"),
    SSHA(Set.of(), DigestScheme.SSHA, "SSHA"),
    SHA512(Set.of(), DigestScheme.SHA512, "SHA512"),
    SHA256(Set.of(), DigestScheme.SHA256, "SHA256"),
    SHA(Set.of(), DigestScheme.SHA, "SHA", "SHA1"),
    PLAIN(Set.of(), null, "PLAIN", "CLEARTEXT", "CLEAR");

    /** A scheme name resolved, with the encoding its ".HEX"/".B64" suffix asked for. */
    record Resolved(DovecotScheme scheme, Encoding encoding) {
    }

    private final Set<CryptKind> cryptKinds;
    private final DigestScheme digest;
    private final Set<String> names;

    DovecotScheme(Set<CryptKind> cryptKinds, DigestScheme digest, String... names) {
        this.cryptKinds = cryptKinds;
        this.digest = digest;
        this.names = Set.of(names);
    }

    /** Looks up an upper-cased name such as "SHA512-CRYPT" or "SHA256.HEX"; empty when unknown. */
    static Optional<Resolved> resolve(String name) {
        int dot = name.lastIndexOf('.');
        String base = dot < 0 ? name : name.substring(0, dot);
        Encoding encoding = Encoding.DEFAULT;
        if (dot >= 0) {
            switch (name.substring(dot + 1)) {
                case "HEX" -> encoding = Encoding.HEX;
                case "B64", "BASE64" -> encoding = Encoding.BASE64;
                default -> {
                    return Optional.empty();
                }
            }
        }
        for (DovecotScheme scheme : values()) {
            if (scheme.names.contains(base)) {
                // Only the digest schemes have an encoding to choose.
                return scheme.digest == null && dot >= 0
                        ? Optional.empty()
                        : Optional.of(new Resolved(scheme, encoding));
            }
        }
        return Optional.empty();
    }

    /** The crypt format of value if this scheme accepts it; empty for a digest or PLAIN scheme. */
    Optional<CryptKind> cryptKind(String value) {
        return CryptKind.detect(value).filter(cryptKinds::contains);
    }

    Outcome verify(String value, Encoding encoding, byte[] password) {
        if (digest != null) {
            return digest.verify(value, encoding, password);
        } else if (this == PLAIN) {
            return Plaintext.verify(value, password);
        }
        return cryptKind(value).map(kind -> kind.verify(value, password)).orElse(Outcome.MALFORMED);
    }
}

package org.osprey.directory.password;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** The modular crypt formats Osprey can check, recognised by their "$id$" prefix, each sent to its verifier. */
enum CryptKind {
    BCRYPT,
    SHA512_CRYPT,
    SHA256_CRYPT,
    MD5_CRYPT,
    ARGON2ID,
    ARGON2I;

    /** The formats among these that crypt(3) checks; Dovecot hands CRYPT and the SHA crypts to it. */
    static final Set<CryptKind> CRYPT3 = EnumSet.of(BCRYPT, SHA512_CRYPT, SHA256_CRYPT, MD5_CRYPT);

    static Optional<CryptKind> detect(String value) {
        if (value.startsWith("$2a$") || value.startsWith("$2b$") || value.startsWith("$2y$")) {
            return Optional.of(BCRYPT);
        } else if (value.startsWith("$6$")) {
            return Optional.of(SHA512_CRYPT);
        } else if (value.startsWith("$5$")) {
            return Optional.of(SHA256_CRYPT);
        } else if (value.startsWith("$1$")) {
            return Optional.of(MD5_CRYPT);
        } else if (value.startsWith("$argon2id$")) {
            return Optional.of(ARGON2ID);
        } else if (value.startsWith("$argon2i$")) {
            return Optional.of(ARGON2I);
        }
        return Optional.empty();
    }

    Outcome verify(String value, byte[] password) {
        return switch (this) {
            case BCRYPT -> Bcrypt.verify(value, password);
            case SHA512_CRYPT, SHA256_CRYPT, MD5_CRYPT -> GlibcCrypt.verify(this, value, password);
            case ARGON2ID, ARGON2I -> Argon2Hash.parse(value)
                    .map(hash -> Outcome.of(hash.matches(password)))
                    .orElse(Outcome.MALFORMED);
        };
    }
}

package org.osprey.directory.password;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * One Argon2 hash in the PHC string form libsodium (and so Dovecot) reads and writes:
 * "$argon2id$v=19$m=65536,t=3,p=1$" + salt + "$" + hash, both standard base64 without padding.
 * Cost, salt and hash length are taken from the string; only version 19 is accepted, as libsodium does.
 */
record Argon2Hash(Type type, int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {

    // New hashes follow OWASP's Password Storage Cheat Sheet minimum for Argon2id:
    // 19 MiB, 2 passes, 1 lane. Cheap enough to run per login, and libsodium verifies it unchanged.
    static final int NEW_MEMORY_KIB = 19_456;
    static final int NEW_ITERATIONS = 2;
    static final int NEW_PARALLELISM = 1;
    static final int NEW_SALT_BYTES = 16;
    static final int NEW_HASH_BYTES = 32;

    // Limits on what a stored string may ask for, so one bad row cannot exhaust the heap or hang a login:
    // 1 GiB is libsodium's strongest preset (SENSITIVE), and the others are far above any preset.
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_ITERATIONS = 64;
    private static final int MAX_PARALLELISM = 64;
    // Argon2's own minimums (RFC 9106, section 3.1).
    private static final int MIN_SALT_BYTES = 8;
    private static final int MIN_HASH_BYTES = 4;
    private static final int MAX_BYTES = 1024;

    private static final Pattern FORMAT = Pattern.compile(
            "\\$(argon2id|argon2i)\\$v=19\\$m=([0-9]{1,10}),t=([0-9]{1,10}),p=([0-9]{1,10})"
                    + "\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

    enum Type {
        ARGON2ID("argon2id", Argon2Parameters.ARGON2_id),
        ARGON2I("argon2i", Argon2Parameters.ARGON2_i);

        private final String id;
        private final int bouncyCastleType;

        Type(String id, int bouncyCastleType) {
            this.id = id;
            this.bouncyCastleType = bouncyCastleType;
        }
    }

    /** The parsed string, or empty when it is not a well-formed Argon2 string within the limits above. */
    static Optional<Argon2Hash> parse(String value) {
        Matcher m = FORMAT.matcher(value);
        if (!m.matches()) {
            return Optional.empty();
        }
        Type type = m.group(1).equals(Type.ARGON2ID.id) ? Type.ARGON2ID : Type.ARGON2I;
        long memory = Long.parseLong(m.group(2));
        long iterations = Long.parseLong(m.group(3));
        long parallelism = Long.parseLong(m.group(4));
        if (parallelism < 1 || parallelism > MAX_PARALLELISM
                || iterations < 1 || iterations > MAX_ITERATIONS
                || memory < 8 * parallelism || memory > MAX_MEMORY_KIB) {
            return Optional.empty();
        }
        byte[] salt;
        byte[] hash;
        try {
            salt = Base64.getDecoder().decode(m.group(5));
            hash = Base64.getDecoder().decode(m.group(6));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (salt.length < MIN_SALT_BYTES || salt.length > MAX_BYTES
                || hash.length < MIN_HASH_BYTES || hash.length > MAX_BYTES) {
            return Optional.empty();
        }
        return Optional.of(new Argon2Hash(type, (int) memory, (int) iterations, (int) parallelism, salt, hash));
    }

    /** A new Argon2id hash with the OWASP parameters above and a fresh salt. */
    static Argon2Hash create(byte[] password, SecureRandom random) {
        byte[] salt = new byte[NEW_SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(Type.ARGON2ID, NEW_MEMORY_KIB, NEW_ITERATIONS, NEW_PARALLELISM, salt,
                NEW_HASH_BYTES, password);
        return new Argon2Hash(Type.ARGON2ID, NEW_MEMORY_KIB, NEW_ITERATIONS, NEW_PARALLELISM, salt, hash);
    }

    boolean matches(byte[] password) {
        byte[] derived = derive(type, memoryKib, iterations, parallelism, salt, hash.length, password);
        return MessageDigest.isEqual(derived, hash);
    }

    /** The PHC string, without Dovecot's "{ARGON2ID}" prefix. */
    String encode() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$" + type.id + "$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    private static byte[] derive(Type type, int memoryKib, int iterations, int parallelism, byte[] salt,
            int length, byte[] password) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(type.bouncyCastleType)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }
}

package org.osprey.directory.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Checks PLAIN/CLEARTEXT values: the stored text is the password's UTF-8 bytes. */
final class Plaintext {
    private Plaintext() {
    }

    static Outcome verify(String value, byte[] password) {
        // Comparing digests instead of the bytes keeps the time independent of the stored password's length.
        return Outcome.of(MessageDigest.isEqual(
                sha256(value.getBytes(StandardCharsets.UTF_8)), sha256(password)));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

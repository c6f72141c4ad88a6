package org.osprey.directory.password;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Dovecot's plain-digest schemes. SHA* store the digest of the password; SSHA* store digest(password || salt)
 * followed by the salt, which may be any non-zero length. The bytes are base64 unless the scheme name says
 * ".HEX" or ".B64" (or ".BASE64"); like Dovecot, an unsalted digest with no suffix is read as hex when its length is exactly
 * that of the hex digest (base64 never has that length).
 */
enum DigestScheme {
    SHA("SHA-1", false),
    SHA256("SHA-256", false),
    SHA512("SHA-512", false),
    SSHA("SHA-1", true),
    SSHA256("SHA-256", true),
    SSHA512("SHA-512", true);

    enum Encoding { DEFAULT, HEX, BASE64 }

    private final String algorithm;
    private final boolean salted;

    DigestScheme(String algorithm, boolean salted) {
        this.algorithm = algorithm;
        this.salted = salted;
    }

    Outcome verify(String value, Encoding encoding, byte[] password) {
        MessageDigest digest = newDigest();
        int length = digest.getDigestLength();
        Encoding effective = encoding;
        if (effective == Encoding.DEFAULT) {
            effective = !salted && value.length() == 2 * length ? Encoding.HEX : Encoding.BASE64;
        }
        if (effective == Encoding.BASE64 && value.length() % 4 != 0) {
            return Outcome.MALFORMED; // Dovecot wants the "=" padding; Java's decoder would do without
        }
        byte[] stored;
        try {
            stored = effective == Encoding.HEX
                    ? HexFormat.of().parseHex(value)
                    : Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return Outcome.MALFORMED;
        }
        if (salted ? stored.length <= length : stored.length != length) {
            return Outcome.MALFORMED;
        }
        digest.update(password);
        digest.update(stored, length, stored.length - length);
        return Outcome.of(MessageDigest.isEqual(digest.digest(), Arrays.copyOf(stored, length)));
    }

    private MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + algorithm, e);
        }
    }
}

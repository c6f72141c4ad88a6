package org.osprey.directory.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Checks and writes bcrypt strings, "$2y$NN$" + 22 salt characters + 31 hash characters.
 * $2a$, $2b$ and $2y$ compute the same hash for every password crypt_blowfish handles correctly,
 * which is why Dovecot accepts all three; only the 31 hash characters are compared, in constant time.
 */
final class Bcrypt {
    /** Dovecot's BLF-CRYPT writes $2y$ (crypt_blowfish's name for the fixed algorithm). */
    static final String NEW_VERSION = "2y";
    /** 2^10 rounds: the common default and ample for interactive logins; Dovecot itself defaults to 5. */
    static final int NEW_COST = 10;

    private static final Pattern FORMAT =
            Pattern.compile("\\$(2[aby])\\$([0-9]{2})\\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})");
    private static final String ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int SALT_BYTES = 16;
    private static final int HASH_CHARS = 31;

    private Bcrypt() {
    }

    static Outcome verify(String value, byte[] password) {
        Matcher m = FORMAT.matcher(value);
        if (!m.matches()) {
            return Outcome.MALFORMED;
        }
        int cost = Integer.parseInt(m.group(2));
        if (cost < 4 || cost > 31) {
            return Outcome.MALFORMED;
        }
        String computed = OpenBSDBCrypt.generate(m.group(1), password, decodeSalt(m.group(3)), cost);
        byte[] expected = m.group(4).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = computed.substring(computed.length() - HASH_CHARS).getBytes(StandardCharsets.US_ASCII);
        return Outcome.of(MessageDigest.isEqual(actual, expected));
    }

    /** A new "$2y$10$..." string. Like crypt_blowfish, only the first 72 bytes of the password count. */
    static String create(byte[] password, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate(NEW_VERSION, password, salt, NEW_COST);
    }

    /**
     * bcrypt's own base64 (different alphabet, no padding): 22 characters carry the 16 salt bytes,
     * the last character's low 4 bits unused.
     */
    private static byte[] decodeSalt(String text) {
        byte[] out = new byte[SALT_BYTES];
        int bits = 0;
        int bitCount = 0;
        int n = 0;
        for (int i = 0; i < text.length() && n < out.length; i++) {
            bits = ((bits << 6) | ALPHABET.indexOf(text.charAt(i))) & 0xFFFF;
            bitCount += 6;
            if (bitCount >= 8) {
                bitCount -= 8;
                out[n++] = (byte) (bits >> bitCount);
            }
        }
        return out;
    }
}

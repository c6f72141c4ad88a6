package org.osprey.directory.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Md5Crypt;
import org.apache.commons.codec.digest.Sha2Crypt;

/**
 * Checks MD5-crypt ($1$), SHA256-crypt ($5$) and SHA512-crypt ($6$) strings as glibc's crypt(3) writes them.
 * The whole string is recomputed from the stored salt and rounds and compared in constant time.
 */
final class GlibcCrypt {
    // Salt alphabet as the crypt(3) implementations write it; commons-codec reads no other.
    private static final Pattern MD5 = Pattern.compile("\\$1\\$[./0-9A-Za-z]{1,8}\\$[./0-9A-Za-z]{22}");
    private static final Pattern SHA256 =
            Pattern.compile("\\$5\\$(rounds=[1-9][0-9]{0,8}\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{43}");
    private static final Pattern SHA512 =
            Pattern.compile("\\$6\\$(rounds=[1-9][0-9]{0,8}\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{86}");

    private GlibcCrypt() {
    }

    static Outcome verify(CryptKind kind, String value, byte[] password) {
        Pattern format = switch (kind) {
            case MD5_CRYPT -> MD5;
            case SHA256_CRYPT -> SHA256;
            case SHA512_CRYPT -> SHA512;
            default -> throw new IllegalArgumentException(kind + " is not a glibc crypt format");
        };
        if (!format.matcher(value).matches()) {
            return Outcome.MALFORMED;
        }
        // commons-codec takes the salt (and rounds) from the front of the stored string itself.
        String computed = switch (kind) {
            case MD5_CRYPT -> Md5Crypt.md5Crypt(password, value);
            case SHA256_CRYPT -> Sha2Crypt.sha256Crypt(password, value);
            default -> Sha2Crypt.sha512Crypt(password, value);
        };
        return Outcome.of(MessageDigest.isEqual(
                computed.getBytes(StandardCharsets.US_ASCII), value.getBytes(StandardCharsets.US_ASCII)));
    }
}

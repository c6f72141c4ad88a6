package org.osprey.directory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers passwords that verified, so a client that logs in again (IMAP clients open several connections, and
 * reconnect all day) does not cost a bcrypt or Argon2 run each time — what Dovecot's auth_cache does. Held in
 * memory only, as an HMAC under a key made at start-up, never the password; keyed by the stored hash, so a
 * changed password (a new hash, seen within the directory's cache time) no longer matches. Failures are not
 * remembered: a wrong password always costs the full verification.
 */
final class AuthCache {
    private final Cache<String, byte[]> verified;
    private final SecretKeySpec key;

    AuthCache(Duration ttl, long maxEntries) {
        this.verified = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxEntries).build();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** True when this password verified against this stored hash recently. */
    boolean knows(String storedHash, String password) {
        byte[] remembered = verified.getIfPresent(storedHash);
        return remembered != null && MessageDigest.isEqual(remembered, mac(storedHash, password));
    }

    void remember(String storedHash, String password) {
        verified.put(storedHash, mac(storedHash, password));
    }

    private byte[] mac(String storedHash, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(storedHash.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}

package org.osprey.directory.password;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dovecot-compatible password strings, "{SCHEME}data", so a Dovecot passdb can be used as it is.
 * verify never throws and compares derived values in constant time; a stored value it cannot read gives false
 * and one warning naming the scheme (never the value or the password). Passwords are taken as UTF-8 bytes.
 * New passwords are written only as ARGON2ID or BLF-CRYPT; every other scheme is read for old accounts.
 */
public final class Passwords {
    private static final Logger log = LoggerFactory.getLogger(Passwords.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    // Scheme names go into the log; anything else is shown as a placeholder so a row cannot forge log lines.
    private static final Pattern LOGGABLE_SCHEME = Pattern.compile("[A-Z0-9._-]{1,32}");

    private Passwords() {
    }

    /**
     * True when password matches stored, a Dovecot "{SCHEME}..." string or a bare modular crypt string
     * ($2y$, $2b$, $2a$, $6$, $5$, $1$, $argon2id$, $argon2i$). An empty password never matches: a blank
     * column or a blank login must not open an account. A null stored value (no password set) is false, silently.
     */
    public static boolean verify(String stored, String password) {
        if (stored == null || password == null || password.isEmpty()) {
            return false;
        }
        StoredPassword parsed = StoredPassword.parse(stored);
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        Outcome outcome;
        try {
            if (parsed.scheme() == null) {
                outcome = CryptKind.detect(parsed.value())
                        .map(kind -> kind.verify(parsed.value(), bytes))
                        .orElse(Outcome.MALFORMED);
            } else {
                Optional<DovecotScheme.Resolved> scheme = DovecotScheme.resolve(parsed.scheme());
                if (scheme.isEmpty()) {
                    log.warn("Password check failed: unknown password scheme {}", loggable(parsed.scheme()));
                    return false;
                }
                outcome = scheme.get().scheme().verify(parsed.value(), scheme.get().encoding(), bytes);
            }
        } catch (RuntimeException e) {
            // The libraries throw on inputs our format checks let through; a bad row must fail the login
            // cleanly. The exception is not logged since its message may quote the stored value.
            outcome = Outcome.MALFORMED;
        }
        if (outcome == Outcome.MALFORMED) {
            log.warn("Password check failed: stored password for scheme {} is malformed",
                    parsed.scheme() == null ? "(no {SCHEME} prefix)" : loggable(parsed.scheme()));
        }
        return outcome == Outcome.MATCH;
    }

    /**
     * A new Dovecot string for password with a fresh random salt: "{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$..."
     * or "{BLF-CRYPT}$2y$10$...". Empty passwords are refused, since verify never accepts them.
     */
    public static String hash(String password, PasswordScheme scheme) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(scheme, "scheme");
        if (password.isEmpty()) {
            throw new IllegalArgumentException("an empty password cannot be stored");
        }
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        String data = switch (scheme) {
            case ARGON2ID -> Argon2Hash.create(bytes, RANDOM).encode();
            case BLF_CRYPT -> Bcrypt.create(bytes, RANDOM);
        };
        return "{" + scheme.dovecotName() + "}" + data;
    }

    /**
     * True when stored is not in a scheme new passwords are written in (ARGON2ID, BLF-CRYPT): PLAIN, the
     * digests, the SHA/MD5 crypts, ARGON2I, and anything unreadable. The algorithm is judged by the data, so
     * "{CRYPT}$2y$..." or a bare "$argon2id$..." is not weak. Meant for telling admins what to migrate.
     */
    public static boolean isWeak(String stored) {
        if (stored == null) {
            return true;
        }
        StoredPassword parsed = StoredPassword.parse(stored);
        Optional<CryptKind> kind = parsed.scheme() == null
                ? CryptKind.detect(parsed.value())
                : DovecotScheme.resolve(parsed.scheme()).flatMap(r -> r.scheme().cryptKind(parsed.value()));
        return kind.filter(k -> k == CryptKind.ARGON2ID || k == CryptKind.BCRYPT).isEmpty();
    }

    private static String loggable(String scheme) {
        return LOGGABLE_SCHEME.matcher(scheme).matches() ? "{" + scheme + "}" : "(unprintable)";
    }
}

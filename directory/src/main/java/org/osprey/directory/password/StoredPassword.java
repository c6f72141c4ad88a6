package org.osprey.directory.password;

import java.util.Locale;

/**
 * A stored value split into its "{SCHEME}" prefix and the rest, without judging either.
 * scheme is upper-cased (Dovecot's names are case-insensitive) and null when there is no prefix.
 */
record StoredPassword(String scheme, String value) {

    static StoredPassword parse(String stored) {
        if (stored.startsWith("{")) {
            int close = stored.indexOf('}');
            if (close > 0) {
                return new StoredPassword(
                        stored.substring(1, close).toUpperCase(Locale.ROOT), stored.substring(close + 1));
            }
        }
        return new StoredPassword(null, stored);
    }
}

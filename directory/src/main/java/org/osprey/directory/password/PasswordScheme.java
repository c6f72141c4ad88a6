package org.osprey.directory.password;

import java.util.Locale;

/** The schemes new passwords can be written in; every other scheme Osprey reads is kept for old accounts only. */
public enum PasswordScheme {
    ARGON2ID("ARGON2ID"),
    BLF_CRYPT("BLF-CRYPT");

    private final String dovecotName;

    PasswordScheme(String dovecotName) {
        this.dovecotName = dovecotName;
    }

    /** The name as Dovecot writes it between the braces, and as admins write it in the config. */
    String dovecotName() {
        return dovecotName;
    }

    /** Reads a config value: "ARGON2ID" or "BLF-CRYPT", in any case. */
    public static PasswordScheme parse(String configValue) {
        if (configValue == null) {
            throw new IllegalArgumentException("password scheme is not set: expected ARGON2ID or BLF-CRYPT");
        }
        String name = configValue.strip().toUpperCase(Locale.ROOT);
        for (PasswordScheme scheme : values()) {
            if (scheme.dovecotName.equals(name)) {
                return scheme;
            }
        }
        throw new IllegalArgumentException(
                "\"" + configValue + "\" is not a password scheme new passwords can be written in:"
                        + " expected ARGON2ID or BLF-CRYPT");
    }
}

package org.osprey.sieve.managesieve;

/**
 * The response codes of RFC 5804 §1.3 that Osprey sends, in parentheses after OK/NO/BYE. TAG (NOOP) and SASL carry
 * a string and are written by the session itself.
 */
enum ResponseCode {
    /** AUTHENTICATE before TLS when passwords are refused in clear text. */
    ENCRYPT_NEEDED("ENCRYPT-NEEDED"),
    /** All scripts together would be over the storage limit. */
    QUOTA("QUOTA"),
    QUOTA_MAXSCRIPTS("QUOTA/MAXSCRIPTS"),
    QUOTA_MAXSIZE("QUOTA/MAXSIZE"),
    /** Logins blocked or the directory unreachable, a store failure, overload, shutdown. */
    TRYLATER("TRYLATER"),
    ACTIVE("ACTIVE"),
    NONEXISTENT("NONEXISTENT"),
    ALREADYEXISTS("ALREADYEXISTS");

    // Not sent: AUTH-TOO-WEAK (every mechanism offered is allowed once it is offered: PLAIN and LOGIN, after TLS),
    // TRANSITION-NEEDED (passwords are verified in whatever scheme the directory holds; none needs a migration
    // through a plaintext login), WARNINGS (the ScriptChecker reports errors only, no warnings), REFERRAL (one
    // server).

    final String text;

    ResponseCode(String text) {
        this.text = text;
    }
}

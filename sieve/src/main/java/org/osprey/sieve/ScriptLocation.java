package org.osprey.sieve;

/** Where a script named by {@code include} lives (RFC 6609 §3.2). */
public enum ScriptLocation {
    /** The user's own scripts, the ones managed over ManageSieve. */
    PERSONAL,
    /** The site's scripts, written by the administrator. */
    GLOBAL
}

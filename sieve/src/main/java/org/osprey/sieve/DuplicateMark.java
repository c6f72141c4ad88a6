package org.osprey.sieve;

import java.time.Duration;

/**
 * A unique id a duplicate test looked at, to record once the message is delivered (RFC 7352 §3): when new, it
 * expires {@code period} after now; when known, it is refreshed only with {@code last} (§3.3).
 */
public record DuplicateMark(String handle, String id, Duration period, boolean last) {
}

package org.osprey.sieve;

import java.time.Duration;

/**
 * The site policy an evaluation runs under. Going past a limit is a runtime error, so the message is kept.
 *
 * @param maxRedirects     distinct redirect addresses per message (RFC 5228 §4.2 asks for a limit)
 * @param maxActions       distinct actions per message (RFC 5228 §2.10.4)
 * @param maxTime          wall-clock time for the whole evaluation, message reading included
 * @param maxIncludeDepth  nesting of include (RFC 6609 §3.1 asks for at least 3 levels)
 * @param vacationDefault  the vacation period without :days or :seconds (RFC 5230 §4.1: 7 days)
 * @param vacationMax      the longest vacation period; :days is at least 1, :seconds may be 0 (RFC 6131)
 * @param duplicateDefault the duplicate tracking period without :seconds (RFC 7352 §3.3)
 * @param duplicateMax     the longest duplicate tracking period
 */
public record SieveLimits(int maxRedirects, int maxActions, Duration maxTime, int maxIncludeDepth,
                          Duration vacationDefault, Duration vacationMax, Duration duplicateDefault,
                          Duration duplicateMax) {
    public static final SieveLimits DEFAULT = new SieveLimits(4, 32, Duration.ofSeconds(5), 10, Duration.ofDays(7),
            Duration.ofDays(90), Duration.ofDays(7), Duration.ofDays(90));
}

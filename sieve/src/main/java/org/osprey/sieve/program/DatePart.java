package org.osprey.sieve.program;

import java.util.Locale;
import java.util.Optional;

/** The date-part argument of the date and currentdate tests (RFC 5260 §4.2). */
public enum DatePart {
    YEAR, MONTH, DAY, DATE, JULIAN, HOUR, MINUTE, SECOND, TIME, ISO8601, STD11, ZONE, WEEKDAY;

    /** Date-part names are case-insensitive. */
    public static Optional<DatePart> of(String name) {
        for (DatePart part : values()) {
            if (part.name().equals(name.toUpperCase(Locale.ROOT))) {
                return Optional.of(part);
            }
        }
        return Optional.empty();
    }
}

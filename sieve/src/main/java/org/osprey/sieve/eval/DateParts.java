package org.osprey.sieve.eval;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.JulianFields;
import java.util.Locale;
import org.osprey.sieve.program.DatePart;

/** The date-part strings of RFC 5260 §4.2 for a date-time already shifted to the wanted zone. */
final class DateParts {
    private static final DateTimeFormatter STD11 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss ", Locale.ROOT);

    private DateParts() {
    }

    static String format(OffsetDateTime t, DatePart part) {
        return switch (part) {
            case YEAR -> String.format(Locale.ROOT, "%04d", t.getYear());
            case MONTH -> two(t.getMonthValue());
            case DAY -> two(t.getDayOfMonth());
            case DATE -> String.format(Locale.ROOT, "%04d-%02d-%02d", t.getYear(), t.getMonthValue(),
                    t.getDayOfMonth());
            case JULIAN -> Long.toString(t.toLocalDate().getLong(JulianFields.MODIFIED_JULIAN_DAY));
            case HOUR -> two(t.getHour());
            case MINUTE -> two(t.getMinute());
            case SECOND -> two(t.getSecond());
            case TIME -> String.format(Locale.ROOT, "%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
            case ISO8601 -> String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d%s", t.getYear(),
                    t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(),
                    t.getOffset().equals(ZoneOffset.UTC) ? "Z" : t.getOffset().getId());
            case STD11 -> STD11.format(t) + zone(t.getOffset());
            case ZONE -> zone(t.getOffset());
            case WEEKDAY -> Integer.toString(t.getDayOfWeek().getValue() % 7); // Sunday is 0
        };
    }

    /** "+hhmm" / "-hhmm"; zero is "+0000" (RFC 5260 §4.2). */
    static String zone(ZoneOffset offset) {
        int minutes = offset.getTotalSeconds() / 60;
        return String.format(Locale.ROOT, "%s%02d%02d", minutes < 0 ? "-" : "+", Math.abs(minutes) / 60,
                Math.abs(minutes) % 60);
    }

    /** Parses "+hhmm" / "-hhmm" (checked by the caller or the compiler). */
    static ZoneOffset offset(String zone) {
        int hours = Integer.parseInt(zone.substring(1, 3));
        int minutes = Integer.parseInt(zone.substring(3, 5));
        int seconds = (hours * 60 + minutes) * 60;
        return ZoneOffset.ofTotalSeconds(zone.charAt(0) == '-' ? -seconds : seconds);
    }

    private static String two(int n) {
        return String.format(Locale.ROOT, "%02d", n);
    }
}

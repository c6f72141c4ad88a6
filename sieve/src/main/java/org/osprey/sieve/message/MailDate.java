package org.osprey.sieve.message;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an RFC 5322 §3.3 date-time, with the obsolete forms of §4.3 that real mail still carries: two- and
 * three-digit years, named zones (UT, GMT, EST ... PDT), single-letter military zones (taken as -0000, as §4.3
 * advises), comments, missing seconds. The day name, when present, is not checked against the date. A date the
 * calendar does not have (February 30th) is no date (RFC 5260 §4).
 */
public final class MailDate {
    private static final Pattern DATE_TIME = Pattern.compile(
            "\\s*(?:[a-z]{3}\\s*,)?\\s*(\\d{1,2})\\s*([a-z]{3})[a-z]*\\s*(\\d{2,4})\\s+(\\d{1,2})\\s*:\\s*(\\d{2})"
                    + "(?:\\s*:\\s*(\\d{2}))?\\s*([+-]\\d{4}|[a-z]{1,5})?\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";

    private MailDate() {
    }

    /** The date-time of a header value, or empty when it has none. */
    public static Optional<OffsetDateTime> parse(String text) {
        Matcher m = DATE_TIME.matcher(withoutComments(text));
        if (!m.matches()) {
            return Optional.empty();
        }
        int month = MONTHS.indexOf(m.group(2).toLowerCase(Locale.ROOT));
        if (month < 0 || month % 3 != 0) {
            return Optional.empty();
        }
        int year = Integer.parseInt(m.group(3));
        if (m.group(3).length() == 2) {
            year += year < 50 ? 2000 : 1900; // RFC 5322 §4.3
        } else if (m.group(3).length() == 3) {
            year += 1900;
        }
        ZoneOffset zone = zone(m.group(7));
        if (zone == null) {
            return Optional.empty();
        }
        try {
            int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
            LocalDate date = LocalDate.of(year, month / 3 + 1, Integer.parseInt(m.group(1)));
            // a leap second (60) is kept as 59: java.time has no 60th second
            LocalTime time = LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    Math.min(second, 59));
            if (second > 60) {
                return Optional.empty();
            }
            return Optional.of(OffsetDateTime.of(date, time, zone));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static ZoneOffset zone(String zone) {
        if (zone == null) {
            return null; // RFC 5322 §3.3: the zone is not optional
        }
        if (zone.charAt(0) == '+' || zone.charAt(0) == '-') {
            int hours = Integer.parseInt(zone.substring(1, 3));
            int minutes = Integer.parseInt(zone.substring(3, 5));
            if (hours > 18 || minutes > 59 || hours == 18 && minutes > 0) {
                return null;
            }
            int seconds = (hours * 60 + minutes) * 60;
            return ZoneOffset.ofTotalSeconds(zone.charAt(0) == '-' ? -seconds : seconds);
        }
        return switch (zone.toUpperCase(Locale.ROOT)) {
            case "UT", "GMT", "Z" -> ZoneOffset.UTC;
            case "EDT" -> ZoneOffset.ofHours(-4);
            case "EST", "CDT" -> ZoneOffset.ofHours(-5);
            case "CST", "MDT" -> ZoneOffset.ofHours(-6);
            case "MST", "PDT" -> ZoneOffset.ofHours(-7);
            case "PST" -> ZoneOffset.ofHours(-8);
            default -> zone.length() == 1 && Character.isLetter(zone.charAt(0)) ? ZoneOffset.UTC : null;
        };
    }

    private static String withoutComments(String text) {
        if (text.indexOf('(') < 0) {
            return text;
        }
        var out = new StringBuilder(text.length());
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }
}

package org.osprey.filter.spam.rules;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osprey.filter.mail.HeaderField;
import org.osprey.filter.mail.MessageHeader;

/**
 * Reads RFC 5322 §3.3 date-times leniently, as mail programs really write them: optional day name, one or two digit
 * day, English month names, two- or four-digit years (§4.3 obsolete forms), optional seconds, numeric or obsolete
 * named zones (a missing or unknown zone counts as UTC). A date that names no real day or time is not a date.
 */
final class MailDates {
    private static final Pattern DATE = Pattern.compile(
        "(\\d{1,2})\\s*[- ]\\s*([a-z]{3})[a-z]*\\.?\\s*[- ]\\s*(\\d{2,4})\\s+(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2}))?"
            + "(?:\\.\\d+)?\\s*([+-]\\d{4}|[a-z]{1,5})?");
    private static final List<String> MONTHS =
        List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");

    private MailDates() {
    }

    static Optional<Instant> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = DATE.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.find()) {
            return Optional.empty();
        }
        int month = MONTHS.indexOf(m.group(2)) + 1;
        if (month == 0) {
            return Optional.empty();
        }
        int year = Integer.parseInt(m.group(3));
        if (m.group(3).length() == 2) {
            year += year < 50 ? 2000 : 1900; // RFC 5322 §4.3
        } else if (m.group(3).length() == 3) {
            year += 1900;
        }
        int seconds = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
        try {
            LocalDateTime local = LocalDateTime.of(year, month, Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Math.min(seconds, 59));
            return Optional.of(local.toInstant(offset(m.group(7))));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static ZoneOffset offset(String zone) {
        if (zone == null) {
            return ZoneOffset.UTC;
        }
        if (zone.startsWith("+") || zone.startsWith("-")) {
            int hours = Integer.parseInt(zone.substring(1, 3));
            int minutes = Integer.parseInt(zone.substring(3, 5));
            if (hours > 18 || minutes > 59) {
                throw new DateTimeException("zone " + zone);
            }
            int sign = zone.startsWith("-") ? -1 : 1;
            return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        }
        return switch (zone) { // RFC 5322 §4.3 obsolete zones; others (military letters) mean nothing: UTC
            case "edt" -> ZoneOffset.ofHours(-4);
            case "est", "cdt" -> ZoneOffset.ofHours(-5);
            case "cst", "mdt" -> ZoneOffset.ofHours(-6);
            case "mst", "pdt" -> ZoneOffset.ofHours(-7);
            case "pst" -> ZoneOffset.ofHours(-8);
            default -> ZoneOffset.UTC;
        };
    }

    /** The date of a Received field: what follows its last ";" (RFC 5321 §4.4). */
    static Optional<Instant> received(String value) {
        int semicolon = value.lastIndexOf(';');
        return semicolon < 0 ? Optional.empty() : parse(value.substring(semicolon + 1));
    }

    /**
     * When the message reached the newest server that wrote a Received line with a date: the time the other dates
     * are compared with, so that a message scored later (from a file) is judged as when it arrived.
     */
    static Optional<Instant> arrival(MessageHeader header) {
        for (HeaderField field : header.all("Received")) {
            Optional<Instant> date = received(field.value());
            if (date.isPresent()) {
                return date;
            }
        }
        return Optional.empty();
    }
}

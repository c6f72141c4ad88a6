package org.osprey.imap.search;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the Date header field (RFC 5322 §3.3 date-time, with the obsolete forms of §4.3 and what mailers actually
 * write): optional day name, day, month name, year (two-digit years are 1950–2049, three-digit ones +1900), time
 * with or without seconds, and a zone (numeric, the US names of RFC 822, UT/GMT/Z; military letters and anything
 * unknown count as +0000). Comments are ignored; the month may come before the day ("Jan 5 2024"). Anything that
 * does not give a valid date and time is no date.
 */
final class DateHeader {
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
            "nov", "dec"};

    private DateHeader() {
    }

    /** The date-time as written, with its offset; null when it cannot be parsed. */
    static OffsetDateTime parse(String value) {
        if (value == null) {
            return null;
        }
        List<String> tokens = tokens(value);
        int i = 0;
        if (i < tokens.size() && isDayName(tokens.get(i))) {
            i++;
        }
        int day;
        int month;
        if (i + 1 < tokens.size() && isNumber(tokens.get(i)) && month(tokens.get(i + 1)) > 0) {
            day = Integer.parseInt(tokens.get(i));
            month = month(tokens.get(i + 1));
        } else if (i + 1 < tokens.size() && month(tokens.get(i)) > 0 && isNumber(tokens.get(i + 1))) {
            month = month(tokens.get(i));
            day = Integer.parseInt(tokens.get(i + 1));
        } else {
            return null;
        }
        i += 2;
        if (i >= tokens.size() || !isNumber(tokens.get(i)) || tokens.get(i).length() > 4) {
            return null;
        }
        int year = Integer.parseInt(tokens.get(i));
        int digits = tokens.get(i).length();
        if (digits == 2) {
            year += year < 50 ? 2000 : 1900;
        } else if (digits == 3) {
            year += 1900;
        } else if (digits != 4) {
            return null;
        }
        i++;
        if (i >= tokens.size()) {
            return null;
        }
        String[] time = tokens.get(i).split(":", -1);
        if (time.length < 2 || time.length > 3) {
            return null;
        }
        for (String part : time) {
            if (!isNumber(part) || part.length() > 2) {
                return null;
            }
        }
        int hour = Integer.parseInt(time[0]);
        int minute = Integer.parseInt(time[1]);
        int second = time.length == 3 ? Math.min(59, Integer.parseInt(time[2])) : 0; // 60: a leap second
        i++;
        ZoneOffset offset = i < tokens.size() ? zone(tokens.get(i)) : ZoneOffset.UTC;
        try {
            return OffsetDateTime.of(LocalDateTime.of(year, month, day, hour, minute, second), offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** Words of the value: comments (nested parentheses) removed, split at white space and commas. */
    private static List<String> tokens(String value) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth > 0) {
                continue;
            } else if (Character.isWhitespace(c) || c == ',') {
                if (!current.isEmpty()) {
                    tokens.add(current.toString());
                    current.setLength(0);
                }
                continue;
            } else {
                current.append(c);
                continue;
            }
            if (!current.isEmpty()) {
                tokens.add(current.toString());
                current.setLength(0);
            }
        }
        if (!current.isEmpty()) {
            tokens.add(current.toString());
        }
        // "+0100" glued to the time or "12:00:00+0100" is seen; so is "5-Jan-2024"
        List<String> split = new ArrayList<>();
        for (String t : tokens) {
            int sign = Math.max(t.indexOf('+', 1), t.indexOf('-', 1));
            if (t.indexOf(':') > 0 && sign > t.indexOf(':')) {
                split.add(t.substring(0, sign));
                split.add(t.substring(sign));
            } else if (t.chars().filter(c -> c == '-').count() == 2 && Character.isDigit(t.charAt(0))) {
                split.addAll(List.of(t.split("-")));
            } else {
                split.add(t);
            }
        }
        return split;
    }

    private static boolean isDayName(String t) {
        String lower = t.toLowerCase(Locale.ROOT);
        return t.length() >= 3 && Character.isLetter(t.charAt(0))
                && List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun").contains(lower.substring(0, 3));
    }

    private static int month(String t) {
        if (t.length() < 3) {
            return 0;
        }
        String prefix = t.substring(0, 3).toLowerCase(Locale.ROOT);
        for (int m = 0; m < MONTHS.length; m++) {
            if (MONTHS[m].equals(prefix)) {
                return m + 1;
            }
        }
        return 0;
    }

    private static boolean isNumber(String t) {
        if (t.isEmpty() || t.length() > 9) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static ZoneOffset zone(String t) {
        if ((t.startsWith("+") || t.startsWith("-")) && t.length() == 5 && isNumber(t.substring(1))) {
            int hours = Integer.parseInt(t.substring(1, 3));
            int minutes = Integer.parseInt(t.substring(3));
            if (hours > 18 || minutes > 59) {
                return ZoneOffset.UTC;
            }
            int seconds = (hours * 60 + minutes) * 60;
            try {
                return ZoneOffset.ofTotalSeconds(t.startsWith("-") ? -seconds : seconds);
            } catch (DateTimeException e) {
                return ZoneOffset.UTC;
            }
        }
        return switch (t.toUpperCase(Locale.ROOT)) {
            case "EDT" -> ZoneOffset.ofHours(-4);
            case "EST", "CDT" -> ZoneOffset.ofHours(-5);
            case "CST", "MDT" -> ZoneOffset.ofHours(-6);
            case "MST", "PDT" -> ZoneOffset.ofHours(-7);
            case "PST" -> ZoneOffset.ofHours(-8);
            default -> ZoneOffset.UTC; // UT, GMT, Z, military zones (RFC 5322 §4.3: treat as -0000), unknown
        };
    }
}

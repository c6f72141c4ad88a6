package org.osprey.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Maildir file names in Dovecot's form: {@code <secs>.M<usecs>P<pid>Q<n>.<host>,S=<size>,W=<vsize>} in new/,
 * with {@code :2,<flags>} appended in cur/. S= is the file's size (LF line endings), W= the size with CRLF, which
 * IMAP reports as RFC822.SIZE without reading the file.
 */
public final class MaildirNames {
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final AtomicLong LAST_MICROS = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();

    private MaildirNames() {
    }

    /** A unique base name (without sizes), unique across processes and restarts on this host. */
    public static String unique(String host) {
        java.time.Instant now = java.time.Instant.now();
        long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
        // never behind the last name made here, even when the clock steps back: names sort in delivery order
        long stamp = LAST_MICROS.accumulateAndGet(micros, (last, current) -> Math.max(last + 1, current));
        return stamp / 1_000_000 + ".M" + stamp % 1_000_000 + "P" + PID + "Q" + COUNTER.incrementAndGet()
                + "." + safeHost(host);
    }

    /**
     * Delivery order of Maildir base names: digit runs compare as numbers, the rest as text. Names start with the
     * seconds and Dovecot's ".M<microseconds>", and Osprey's go on with "P<pid>Q<counter>": as plain strings
     * "M99812" would sort after "M100005" of the same second, and "Q10" before "Q9" in the same microsecond.
     */
    public static final java.util.Comparator<String> DELIVERY_ORDER = MaildirNames::naturalCompare;

    private static int naturalCompare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int endA = i;
                while (endA < a.length() && Character.isDigit(a.charAt(endA))) {
                    endA++;
                }
                int endB = j;
                while (endB < b.length() && Character.isDigit(b.charAt(endB))) {
                    endB++;
                }
                String na = stripZeros(a.substring(i, endA));
                String nb = stripZeros(b.substring(j, endB));
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
                i = endA;
                j = endB;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }

    private static String stripZeros(String digits) {
        int k = 0;
        while (k < digits.length() - 1 && digits.charAt(k) == '0') {
            k++;
        }
        return digits.substring(k);
    }

    public static String withSizes(String base, long size, long virtualSize) {
        return base + ",S=" + size + ",W=" + virtualSize;
    }

    /** The S= size in a name, or -1 when the name has none. */
    public static long size(String name) {
        return field(name, ",S=");
    }

    /** The W= (CRLF) size in a name, or -1. */
    public static long virtualSize(String name) {
        return field(name, ",W=");
    }

    private static long field(String name, String key) {
        int start = name.indexOf(key);
        if (start < 0) {
            return -1;
        }
        start += key.length();
        int end = start;
        while (end < name.length() && Character.isDigit(name.charAt(end))) {
            end++;
        }
        if (end == start) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(start, end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** As the Maildir spec says: "/" and ":" in the host name are written as \057 and \072. */
    private static String safeHost(String host) {
        return host.replace("/", "\\057").replace(":", "\\072");
    }
}

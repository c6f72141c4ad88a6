package org.osprey.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Maildir file names in Dovecot's form: {@code <secs>.M<usecs>P<pid>Q<n>.<host>,S=<size>,W=<vsize>} in new/,
 * with {@code :2,<flags>} appended in cur/. S= is the file's size (LF line endings), W= the size with CRLF, which
 * IMAP reports as RFC822.SIZE without reading the file.
 */
public final class MaildirNames {
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();

    private MaildirNames() {
    }

    /** A unique base name (without sizes), unique across processes and restarts on this host. */
    public static String unique(String host) {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() + ".M" + now.getNano() / 1000 + "P" + PID + "Q" + COUNTER.incrementAndGet()
                + "." + safeHost(host);
    }

    /**
     * Delivery order of Maildir base names: the seconds, then Dovecot's microseconds (".M123"), compared as
     * numbers — as strings "M99812" would sort after "M100005" of the same second — then the rest as text.
     */
    public static final java.util.Comparator<String> DELIVERY_ORDER = (a, b) -> {
        int c = Long.compare(leadingNumber(a, 0), leadingNumber(b, 0));
        if (c != 0) {
            return c;
        }
        c = Long.compare(microseconds(a), microseconds(b));
        return c != 0 ? c : a.compareTo(b);
    };

    private static long microseconds(String name) {
        int dot = name.indexOf('.');
        return dot >= 0 && dot + 1 < name.length() && name.charAt(dot + 1) == 'M' ? leadingNumber(name, dot + 2) : -1;
    }

    /** The decimal number starting at {@code from} (at most 18 digits), or -1 when there is none. */
    private static long leadingNumber(String name, int from) {
        long value = 0;
        int i = from;
        while (i < name.length() && i - from < 18 && Character.isDigit(name.charAt(i))) {
            value = value * 10 + (name.charAt(i) - '0');
            i++;
        }
        return i == from ? -1 : value;
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

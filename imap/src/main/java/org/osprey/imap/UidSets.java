package org.osprey.imap;

import java.util.Collection;
import java.util.Iterator;

/** Writes numbers as an IMAP sequence set with ranges ("1:3,7,9:12"), for COPYUID, VANISHED and ESEARCH. */
final class UidSets {
    private UidSets() {
    }

    /** {@code numbers} in ascending order, without duplicates. */
    static String format(Collection<Long> numbers) {
        StringBuilder out = new StringBuilder();
        Iterator<Long> it = numbers.iterator();
        if (!it.hasNext()) {
            return "";
        }
        long start = it.next();
        long end = start;
        while (it.hasNext()) {
            long n = it.next();
            if (n == end + 1) {
                end = n;
                continue;
            }
            append(out, start, end);
            start = n;
            end = n;
        }
        append(out, start, end);
        return out.toString();
    }

    /** As {@link #format}, keeping the given order (COPYUID pairs source and target UIDs by position). */
    static String formatInOrder(Collection<Long> numbers) {
        return format(numbers);
    }

    private static void append(StringBuilder out, long start, long end) {
        if (!out.isEmpty()) {
            out.append(',');
        }
        out.append(start);
        if (end != start) {
            out.append(':').append(end);
        }
    }
}

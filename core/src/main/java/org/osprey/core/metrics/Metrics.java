package org.osprey.core.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The process's counters, for the admin's monitoring: a name in Prometheus style
 * ({@code osprey_filter_decisions_total}) and label pairs ({@code "check", "virus", "result", "reject"}). Counting
 * is cheap and never fails; {@link #snapshot()} gives every series with its value.
 */
public final class Metrics {
    private static final Map<String, LongAdder> COUNTERS = new ConcurrentHashMap<>();

    private Metrics() {
    }

    /** Adds one to the series {@code name{labels}}; labels come in pairs, name then value. */
    public static void count(String name, String... labels) {
        COUNTERS.computeIfAbsent(series(name, labels), k -> new LongAdder()).increment();
    }

    /** Every series counted so far, in Prometheus' text form of a series ({@code name{a="b"}}), sorted. */
    public static Map<String, Long> snapshot() {
        Map<String, Long> values = new TreeMap<>();
        COUNTERS.forEach((series, value) -> values.put(series, value.sum()));
        return values;
    }

    static String series(String name, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs: " + String.join(",", labels));
        }
        if (labels.length == 0) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name).append('{');
        for (int i = 0; i < labels.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(labels[i]).append("=\"");
            String value = labels[i + 1];
            for (int j = 0; j < value.length(); j++) {
                char c = value.charAt(j);
                switch (c) {
                    case '\\' -> sb.append("\\\\");
                    case '"' -> sb.append("\\\"");
                    case '\n' -> sb.append("\\n");
                    default -> sb.append(c);
                }
            }
            sb.append('"');
        }
        return sb.append('}').toString();
    }
}

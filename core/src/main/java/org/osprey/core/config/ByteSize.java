package org.osprey.core.config;

import java.util.Locale;

/** Sizes as admins write them: "0", "512", "100K", "50M", "2G", "1T" (powers of 1024, optional "B"/"iB"). */
public final class ByteSize {
    private ByteSize() {
    }

    public static long parse(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT);
        if (s.endsWith("IB")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("B")) {
            s = s.substring(0, s.length() - 1);
        }
        long unit = 1;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                case 'T' -> unit = 1L << 40;
                default -> unit = 1;
            }
            if (unit != 1) {
                s = s.substring(0, s.length() - 1);
            }
        }
        try {
            long value = Long.parseLong(s.strip());
            if (value < 0) {
                throw new IllegalArgumentException("\"" + text + "\" is negative");
            }
            return Math.multiplyExact(value, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a size (examples: 0, 500M, 2G)");
        }
    }

    public static String format(long bytes) {
        String[] units = {"T", "G", "M", "K"};
        long[] factors = {1L << 40, 1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % factors[i] == 0) {
                return bytes / factors[i] + units[i];
            }
        }
        return Long.toString(bytes);
    }
}

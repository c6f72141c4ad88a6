package org.osprey.delivery.remote;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a server offered in its EHLO reply (RFC 5321 §4.1.1.1: one keyword and its parameters per line after the
 * first). After HELO, or after STARTTLS until the next EHLO (RFC 3207 §4.2), it is {@link #NONE}.
 *
 * @param size      -1 when SIZE is not offered, 0 when offered without a fixed limit (RFC 1870 §4), else the limit
 * @param auth      the SASL mechanisms offered, upper case
 */
record Extensions(boolean pipelining, boolean eightBitMime, boolean smtpUtf8, boolean startTls, long size,
                  Set<String> auth) {

    static final Extensions NONE = new Extensions(false, false, false, false, -1, Set.of());

    Extensions {
        auth = Set.copyOf(auth);
    }

    static Extensions parse(Reply ehlo) {
        boolean pipelining = false;
        boolean eightBitMime = false;
        boolean smtpUtf8 = false;
        boolean startTls = false;
        long size = -1;
        Set<String> auth = new TreeSet<>();
        // the first line is the server's name and greeting, not an extension
        for (String line : ehlo.lines().subList(1, ehlo.lines().size())) {
            String[] words = line.strip().split("[ \t]+");
            String keyword = words[0].toUpperCase(Locale.ROOT);
            switch (keyword) {
                case "PIPELINING" -> pipelining = true;
                case "8BITMIME" -> eightBitMime = true;
                case "SMTPUTF8" -> smtpUtf8 = true;
                case "STARTTLS" -> startTls = true;
                case "SIZE" -> size = words.length > 1 ? parseSize(words[1]) : 0;
                case "AUTH" -> addMechanisms(auth, words);
                default -> {
                    // "AUTH=LOGIN PLAIN": the form from before RFC 2554, still sent by old Exchange and Exim
                    if (keyword.startsWith("AUTH=")) {
                        words[0] = keyword.substring("AUTH=".length());
                        addMechanisms(auth, new String[] {"", String.join(" ", words)});
                    }
                }
            }
        }
        return new Extensions(pipelining, eightBitMime, smtpUtf8, startTls, size, auth);
    }

    private static void addMechanisms(Set<String> auth, String[] words) {
        for (int i = 1; i < words.length; i++) {
            for (String mechanism : words[i].split("[ \t]+")) {
                if (!mechanism.isEmpty()) {
                    auth.add(mechanism.toUpperCase(Locale.ROOT));
                }
            }
        }
    }

    private static long parseSize(String text) {
        try {
            long value = Long.parseLong(text);
            return value < 0 ? 0 : value;
        } catch (NumberFormatException e) {
            // a garbled limit is no limit we can honour; the server will still say 552 if it minds
            return 0;
        }
    }
}

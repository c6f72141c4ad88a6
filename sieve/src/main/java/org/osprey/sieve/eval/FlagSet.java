package org.osprey.sieve.eval;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * IMAP flag lists as RFC 5232 §2 handles them: a string holds space-separated flags, empty strings and invalid
 * flags are ignored, names compare case-insensitively, system flags are written in their usual case and
 * {@code \Recent} (not settable in IMAP) is dropped. A set keeps the order flags were first added in.
 */
final class FlagSet {
    private static final Map<String, String> SYSTEM = Map.of("\\seen", "\\Seen", "\\answered", "\\Answered",
            "\\flagged", "\\Flagged", "\\deleted", "\\Deleted", "\\draft", "\\Draft");

    private final Map<String, String> flags = new LinkedHashMap<>();

    /** The valid flags of the given strings, each split at spaces. */
    static FlagSet parse(Collection<String> strings) {
        FlagSet set = new FlagSet();
        for (String s : strings) {
            set.add(s);
        }
        return set;
    }

    static FlagSet parse(String s) {
        FlagSet set = new FlagSet();
        set.add(s);
        return set;
    }

    /** Adds the valid flags of a space-separated string. */
    void add(String s) {
        for (String word : s.split(" +")) {
            String flag = normalize(word);
            if (flag != null) {
                flags.putIfAbsent(flag.toLowerCase(Locale.ROOT), flag);
            }
        }
    }

    void addAll(FlagSet other) {
        other.flags.forEach(flags::putIfAbsent);
    }

    void removeAll(FlagSet other) {
        flags.keySet().removeAll(other.flags.keySet());
    }

    int size() {
        return flags.size();
    }

    Set<String> toSet() {
        return new LinkedHashSet<>(flags.values());
    }

    /** The flags as a variable holds them: separated by single spaces. */
    @Override
    public String toString() {
        return String.join(" ", flags.values());
    }

    /** A flag as IMAP (RFC 3501 flag-keyword / system flag) allows it, or null. */
    static String normalize(String word) {
        if (word.isEmpty()) {
            return null;
        }
        if (word.charAt(0) == '\\') {
            return SYSTEM.get(word.toLowerCase(Locale.ROOT));
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c <= ' ' || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                return null;
            }
        }
        return word;
    }
}

package org.osprey.store.index;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Message flags as one {@code int}, and their two spellings: IMAP names ({@code \Seen}, {@code $Label1}) and the
 * letters of a Maildir file name's info part ({@code :2,FRS}). Bits 0–25 are the keyword letters a–z, whose names
 * the folder's {@link Keywords} table gives; bits 26–31 are the Maildir system flags D, F, P, R, S, T. One int per
 * message keeps 100,000 messages cheap, where a set of strings each would not.
 *
 * <p>Mapping, as Dovecot's: D = \Draft, F = \Flagged, R = \Answered, S = \Seen, T = \Deleted. P ("passed": mutt's
 * forwarded/bounced) is shown as {@code $Forwarded}, which Dovecot leaves unmapped; a keyword letter that the table
 * maps to {@code $Forwarded} (Dovecot's way of storing it) reads as the same flag. Letters that mean nothing here
 * (another program's) are kept in the file name when the flags are rewritten. {@code \Recent} is never stored.
 */
public final class MaildirFlags {
    public static final int DRAFT = 1 << 26;
    public static final int FLAGGED = 1 << 27;
    public static final int PASSED = 1 << 28;
    public static final int ANSWERED = 1 << 29;
    public static final int SEEN = 1 << 30;
    public static final int DELETED = 1 << 31;
    public static final int KEYWORD_MASK = (1 << 26) - 1;
    public static final int SYSTEM_MASK = ~KEYWORD_MASK;

    public static final String FORWARDED = "$Forwarded";
    public static final String RECENT = "\\Recent";
    private static final String SYSTEM_LETTERS = "DFPRST";
    private static final String[] SYSTEM_NAMES = {"\\Draft", "\\Flagged", FORWARDED, "\\Answered", "\\Seen",
            "\\Deleted"};

    private MaildirFlags() {
    }

    /** The bit of a letter of the info part, or 0 for a letter without meaning here. */
    public static int bitOf(char letter) {
        if (letter >= 'a' && letter <= 'z') {
            return 1 << (letter - 'a');
        }
        int system = SYSTEM_LETTERS.indexOf(letter);
        return system < 0 ? 0 : 1 << (26 + system);
    }

    /** Flags of an info part ("2,FS"); an info of another version, or none (null), has no flags. */
    public static int parse(String info) {
        if (info == null || !info.startsWith("2,")) {
            return 0;
        }
        int bits = 0;
        for (int i = 2; i < info.length(); i++) {
            bits |= bitOf(info.charAt(i));
        }
        return bits;
    }

    /**
     * The info part for {@code bits}: "2," and the letters in ASCII order, as the Maildir spec asks and Dovecot
     * writes them, keeping letters of {@code oldInfo} that have no meaning here.
     */
    public static String info(String oldInfo, int bits) {
        StringBuilder letters = new StringBuilder();
        if (oldInfo != null && oldInfo.startsWith("2,")) {
            for (int i = 2; i < oldInfo.length(); i++) {
                char c = oldInfo.charAt(i);
                if (bitOf(c) == 0 && c != ',' && c != ':' && c != '/' && letters.indexOf(String.valueOf(c)) < 0) {
                    letters.append(c);
                }
            }
        }
        for (int i = 0; i < 6; i++) {
            if ((bits & (1 << (26 + i))) != 0) {
                letters.append(SYSTEM_LETTERS.charAt(i));
            }
        }
        for (int i = 0; i < 26; i++) {
            if ((bits & (1 << i)) != 0) {
                letters.append((char) ('a' + i));
            }
        }
        char[] sorted = letters.toString().toCharArray();
        Arrays.sort(sorted);
        return "2," + new String(sorted);
    }

    /** IMAP names of the flags, in a stable order; keyword letters the table does not name are left out. */
    public static Set<String> names(int bits, Keywords keywords) {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < 6; i++) {
            if ((bits & (1 << (26 + i))) != 0) {
                names.add(SYSTEM_NAMES[i]);
            }
        }
        for (int i = 0; i < 26; i++) {
            if ((bits & (1 << i)) != 0) {
                String name = keywords.name(i);
                if (name != null) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /**
     * The bits for IMAP flag names. Every keyword must already be in {@code keywords} (see
     * {@link #keywordsToDefine}) unless {@code skipUnknownKeywords} (for removing: a keyword the folder never had
     * is on no message); {@code \Recent} is ignored. {@code $Forwarded} sets P, and also its keyword letter
     * when the table has one, so Dovecot reading the same Maildir shows it too.
     */
    public static int bits(Collection<String> names, Keywords keywords, boolean skipUnknownKeywords) {
        int bits = 0;
        for (String name : names) {
            bits |= bitsOf(name, keywords, skipUnknownKeywords);
        }
        return bits;
    }

    /** Checks that every name is a system flag or a valid keyword, without looking at any folder. */
    public static void validate(Collection<String> names) {
        bits(names, Keywords.EMPTY, true);
    }

    private static int bitsOf(String name, Keywords keywords, boolean skipUnknownKeywords) {
        if (name.startsWith("\\")) {
            if (name.equalsIgnoreCase(RECENT)) {
                return 0;
            }
            for (int i = 0; i < SYSTEM_NAMES.length; i++) {
                if (SYSTEM_NAMES[i].equalsIgnoreCase(name)) {
                    return 1 << (26 + i);
                }
            }
            throw new IllegalArgumentException("unknown system flag");
        }
        checkKeyword(name);
        int index = keywords.indexOf(name);
        if (name.equalsIgnoreCase(FORWARDED)) {
            return PASSED | (index < 0 ? 0 : 1 << index);
        }
        if (index < 0) {
            if (skipUnknownKeywords) {
                return 0;
            }
            throw new IllegalArgumentException("a keyword has no letter in this folder");
        }
        return 1 << index;
    }

    /** Keywords among {@code names} that the table does not have yet ($Forwarded needs none: it is P). */
    public static Set<String> keywordsToDefine(Collection<String> names, Keywords keywords) {
        Set<String> missing = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : names) {
            if (!name.startsWith("\\") && !name.equalsIgnoreCase(FORWARDED)) {
                checkKeyword(name);
                if (keywords.indexOf(name) < 0) {
                    missing.add(name);
                }
            }
        }
        return missing;
    }

    /** RFC 9051 §9: a keyword is an atom; it must also fit on one line of dovecot-keywords. */
    static void checkKeyword(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty keyword");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                throw new IllegalArgumentException("a keyword must be an IMAP atom");
            }
        }
    }
}

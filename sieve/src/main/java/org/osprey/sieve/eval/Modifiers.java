package org.osprey.sieve.eval;

import java.util.List;
import org.osprey.sieve.program.Command;

/** The modifiers of "set" (RFC 5229 §4.1; :quoteregex from draft-ietf-sieve-regex), applied in the given order. */
final class Modifiers {
    private static final String REGEX_SPECIALS = "\\^$.[]|()*+?{}";

    private Modifiers() {
    }

    static String apply(String value, List<Command.Modifier> modifiers) {
        String v = value;
        for (Command.Modifier modifier : modifiers) {
            v = switch (modifier) {
                case LOWER -> mapAscii(v, false, v.length());
                case UPPER -> mapAscii(v, true, v.length());
                case LOWERFIRST -> mapAscii(v, false, Math.min(1, v.length()));
                case UPPERFIRST -> mapAscii(v, true, Math.min(1, v.length()));
                case QUOTEWILDCARD -> quote(v, "*?\\");
                case QUOTEREGEX -> quote(v, REGEX_SPECIALS);
                case LENGTH -> Integer.toString(v.codePointCount(0, v.length()));
            };
        }
        return v;
    }

    /** RFC 5229 §4.1.3: only US-ASCII letters change case. */
    private static String mapAscii(String s, boolean upper, int count) {
        char[] chars = s.toCharArray();
        for (int i = 0; i < count; i++) {
            char c = chars[i];
            if (upper && c >= 'a' && c <= 'z') {
                chars[i] = (char) (c - 32);
            } else if (!upper && c >= 'A' && c <= 'Z') {
                chars[i] = (char) (c + 32);
            }
        }
        return new String(chars);
    }

    private static String quote(String s, String specials) {
        var out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (specials.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}

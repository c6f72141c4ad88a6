package org.osprey.sieve.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A lenient parser of RFC 5322 §3.4 address lists as found in header fields: display names, angle addresses,
 * groups (whose members count, the group name does not, RFC 5228 §5.1), comments, quoted local parts, domain
 * literals, obsolete source routes (dropped, RFC 5228 §5.4). An item it cannot read as an address is returned as
 * invalid with its text, never an exception: header content is whatever the sender wrote.
 */
public final class AddressParser {
    private static final String SPECIALS = "()<>[]:;@\\,.\"";

    private AddressParser() {
    }

    /** The addresses of a header field value (unfolded, not RFC 2047-decoded). */
    public static List<MailAddress> parseList(String value) {
        List<Token> tokens = tokenize(value);
        List<MailAddress> out = new ArrayList<>();
        int n = tokens.size();
        int i = 0;
        while (i < n) {
            int runStart = i;
            while (i < n && !tokens.get(i).isAny(",;:<")) {
                i++;
            }
            if (i < n && tokens.get(i).is(':')) {
                i++; // a group's display name: its members follow
                continue;
            }
            if (i < n && tokens.get(i).is('<')) {
                int close = i + 1;
                while (close < n && !tokens.get(close).is('>')) {
                    close++;
                }
                int from = i + 1;
                if (from < close && tokens.get(from).is('@')) {
                    while (from < close && !tokens.get(from).is(':')) {
                        from++; // obsolete source route "@a,@b:"
                    }
                    from++;
                }
                if (from < close) {
                    out.add(addrSpec(value, tokens, from, close));
                }
                i = Math.min(close + 1, n);
                while (i < n && !tokens.get(i).isAny(",;")) {
                    i++;
                }
                if (i < n) {
                    i++;
                }
                continue;
            }
            if (i > runStart) {
                out.add(addrSpec(value, tokens, runStart, i));
            }
            if (i < n) {
                i++; // "," or ";"
            }
        }
        return out;
    }

    /**
     * A single address as RFC 5228 §2.4.2.3 allows in scripts ("sieve-address": an addr-spec, or a phrase and an
     * angle address; no group, no list), or empty when {@code text} is not exactly that.
     */
    public static Optional<MailAddress> parseSingle(String text) {
        if (text.indexOf(';') >= 0 || text.indexOf(':') >= 0 && text.indexOf('<') < 0) {
            return Optional.empty();
        }
        List<MailAddress> list = parseList(text);
        if (list.size() != 1 || !list.getFirst().valid() || list.getFirst().domain().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(list.getFirst());
    }

    /** An envelope address (MAIL FROM / RCPT TO path, with or without angle brackets); "" stays empty. */
    public static MailAddress parseEnvelope(String path) {
        String text = path.strip();
        if (text.startsWith("<") && text.endsWith(">")) {
            text = text.substring(1, text.length() - 1);
        }
        int colon = text.indexOf(':');
        if (text.startsWith("@") && colon > 0) {
            text = text.substring(colon + 1); // source route
        }
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1) {
            return MailAddress.invalid(text);
        }
        String local = text.substring(0, at);
        if (local.length() >= 2 && local.startsWith("\"") && local.endsWith("\"")) {
            local = local.substring(1, local.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        return new MailAddress(local, text.substring(at + 1), text, true);
    }

    /** RFC 5322 dot-atom: atext runs separated by single dots. */
    static boolean isDotAtom(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && !isAtomChar(c)) {
                return false;
            }
        }
        return true;
    }

    private static MailAddress addrSpec(String source, List<Token> tokens, int from, int to) {
        String text = source.substring(tokens.get(from).start, tokens.get(to - 1).end).strip();
        int at = -1;
        for (int k = to - 1; k >= from; k--) {
            if (tokens.get(k).is('@')) {
                at = k;
                break;
            }
        }
        if (at <= from || at == to - 1) {
            return MailAddress.invalid(text);
        }
        String local = words(tokens, from, at, true);
        String domain = words(tokens, at + 1, to, false);
        if (local == null || domain == null) {
            return MailAddress.invalid(text);
        }
        return new MailAddress(local, domain, text, true);
    }

    /** word *("." word); a domain may instead be one domain literal. Null when the tokens are not that. */
    private static String words(List<Token> tokens, int from, int to, boolean local) {
        if (!local && to - from == 1 && tokens.get(from).kind == Kind.LITERAL) {
            return tokens.get(from).text;
        }
        var out = new StringBuilder();
        boolean expectWord = true;
        for (int k = from; k < to; k++) {
            Token t = tokens.get(k);
            if (expectWord) {
                if (t.kind == Kind.ATOM || local && t.kind == Kind.QUOTED) {
                    out.append(t.text);
                } else {
                    return null;
                }
            } else if (t.is('.')) {
                out.append('.');
            } else {
                return null;
            }
            expectWord = !expectWord;
        }
        return expectWord ? null : out.toString();
    }

    private enum Kind {
        ATOM, QUOTED, LITERAL, SPECIAL
    }

    private record Token(Kind kind, String text, int start, int end) {
        boolean is(char c) {
            return kind == Kind.SPECIAL && text.charAt(0) == c;
        }

        boolean isAny(String chars) {
            return kind == Kind.SPECIAL && chars.indexOf(text.charAt(0)) >= 0;
        }
    }

    private static List<Token> tokenize(String s) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (c == '(') {
                int depth = 0;
                while (i < n) {
                    char d = s.charAt(i++);
                    if (d == '\\') {
                        i++;
                    } else if (d == '(') {
                        depth++;
                    } else if (d == ')' && --depth == 0) {
                        break;
                    }
                }
            } else if (c == '"') {
                int start = i++;
                var text = new StringBuilder();
                while (i < n && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    text.append(s.charAt(i++));
                }
                i = Math.min(i + 1, n);
                tokens.add(new Token(Kind.QUOTED, text.toString(), start, i));
            } else if (c == '[') {
                int start = i;
                int close = s.indexOf(']', i);
                i = close < 0 ? n : close + 1;
                tokens.add(new Token(Kind.LITERAL, s.substring(start, i), start, i));
            } else if (SPECIALS.indexOf(c) >= 0) {
                tokens.add(new Token(Kind.SPECIAL, String.valueOf(c), i, i + 1));
                i++;
            } else {
                int start = i;
                while (i < n && isAtomChar(s.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    i++; // a control character: skip it
                    continue;
                }
                tokens.add(new Token(Kind.ATOM, s.substring(start, i), start, i));
            }
        }
        return tokens;
    }

    private static boolean isAtomChar(char c) {
        return c > ' ' && c != 0x7f && SPECIALS.indexOf(c) < 0;
    }
}

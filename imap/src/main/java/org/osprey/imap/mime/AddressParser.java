package org.osprey.imap.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses an address list header (RFC 5322 §3.4, with the obsolete forms of §4.4) into the addresses of an IMAP
 * ENVELOPE (RFC 9051 §7.5.2): display name, source route, mailbox and host, raw octets. Display names are not
 * RFC 2047-decoded (IMAP servers hand the header text over as it is; Dovecot does too); quoted strings are
 * unquoted and words are joined by one space. A group becomes its start marker {@code (NIL NIL "name" NIL)}, its
 * members and the end marker {@code (NIL NIL NIL NIL)}.
 *
 * <p>Never fails: what is not an address degrades as Dovecot degrades it. A missing local part or domain is
 * reported as {@code MISSING_MAILBOX} / {@code MISSING_DOMAIN}; a lone phrase ("undisclosed recipients") becomes a
 * display name with both missing; a lone word a mailbox without domain; a bare addr-spec takes its trailing comment
 * as display name ({@code kim@example.com (Kim)}). Unlike Dovecot, empty list elements ({@code a@b,,c@d}) are left
 * out rather than reported as missing addresses, and an unclosed {@code <} is taken as closed.
 *
 * <p>mime4j's address parser is not used: it decodes encoded-words in display names (ENVELOPE must not) and
 * mangles 8-bit octets.
 */
final class AddressParser {
    static final byte[] MISSING_MAILBOX = "MISSING_MAILBOX".getBytes(StandardCharsets.US_ASCII);
    static final byte[] MISSING_DOMAIN = "MISSING_DOMAIN".getBytes(StandardCharsets.US_ASCII);

    /** An ENVELOPE address; a group start has only {@code mailbox} (the group name), a group end nothing. */
    record Address(byte[] name, byte[] route, byte[] mailbox, byte[] host) {
        static final Address GROUP_END = new Address(null, null, null, null);
    }

    private enum Kind { ATOM, QUOTED, LITERAL, COMMENT, SPECIAL }

    private record Token(Kind kind, byte[] text, boolean spaceBefore) {
        boolean is(char special) {
            return kind == Kind.SPECIAL && text[0] == special;
        }

        boolean isWord() {
            return kind == Kind.ATOM || kind == Kind.QUOTED || kind == Kind.LITERAL || is('.');
        }
    }

    private final List<Token> tokens;
    private int next;
    private int lastTaken = -1;
    private final List<Address> out = new ArrayList<>();

    private AddressParser(byte[] value) {
        this.tokens = tokenize(value);
    }

    /** The addresses in an address-list header value; empty when there are none. */
    static List<Address> parse(byte[] value) {
        if (value == null) {
            return List.of();
        }
        var parser = new AddressParser(value);
        parser.list();
        return parser.out;
    }

    // ---- grammar

    private void list() {
        while (peek() != null) {
            Token t = peek();
            if (t.is(',') || t.is(';') || t.is('>')) {
                take();
                continue;
            }
            address(false);
            skipTo(false);
        }
    }

    private void address(boolean inGroup) {
        List<Token> phrase = phrase();
        Token t = peek();
        if (t != null && t.is(':')) {
            take();
            if (inGroup) {
                // a group inside a group is not allowed: read on as members of the outer one
                address(true);
                return;
            }
            byte[] name = render(phrase, true);
            out.add(new Address(null, null, name == null ? new byte[0] : name, null));
            while (peek() != null) {
                Token m = peek();
                if (m.is(';')) {
                    take();
                    break;
                }
                if (m.is(',') || m.is('>')) {
                    take();
                    continue;
                }
                address(true);
                skipTo(true);
            }
            out.add(Address.GROUP_END);
        } else if (t != null && t.is('<')) {
            take();
            byte[] route = null;
            if (peek() != null && peek().is('@')) {
                route = route();
            }
            List<Token> local = phrase();
            byte[] host = null;
            if (peek() != null && peek().is('@')) {
                take();
                host = domain();
            }
            if (peek() != null && peek().is('>')) {
                take();
            }
            out.add(new Address(render(phrase, true), route, orMissing(render(local, false), MISSING_MAILBOX),
                    orMissing(host, MISSING_DOMAIN)));
        } else if (t != null && t.is('@')) {
            take();
            byte[] host = domain();
            byte[] comment = null;
            for (int i = lastTaken + 1; i < tokens.size() && tokens.get(i).kind == Kind.COMMENT; i++) {
                comment = tokens.get(i).text; // Dovecot names a bare addr-spec after its (last) trailing comment
            }
            out.add(new Address(comment == null || comment.length == 0 ? null : comment, null,
                    orMissing(render(phrase, false), MISSING_MAILBOX), orMissing(host, MISSING_DOMAIN)));
        } else if (!phrase.isEmpty()) {
            if (phrase.size() == 1 && phrase.getFirst().kind == Kind.ATOM) {
                out.add(new Address(null, null, phrase.getFirst().text, MISSING_DOMAIN));
            } else {
                out.add(new Address(render(phrase, true), null, MISSING_MAILBOX, MISSING_DOMAIN));
            }
        }
    }

    /** Words and dots up to the next special that means something here. */
    private List<Token> phrase() {
        List<Token> words = new ArrayList<>();
        while (peek() != null && peek().isWord()) {
            words.add(take());
        }
        return words;
    }

    /** {@code @a,@b:} before an angle address, as "@a,@b". */
    private byte[] route() {
        var route = new ByteArrayOutputStream();
        while (peek() != null && (peek().is('@') || peek().is(','))) {
            if (take().is('@')) {
                if (route.size() > 0) {
                    route.write(',');
                }
                route.write('@');
                byte[] d = domain();
                if (d != null) {
                    route.writeBytes(d);
                }
            }
        }
        if (peek() != null && peek().is(':')) {
            take();
        }
        return route.size() == 0 ? null : route.toByteArray();
    }

    private byte[] domain() {
        List<Token> parts = new ArrayList<>();
        while (peek() != null && (peek().kind == Kind.ATOM || peek().kind == Kind.LITERAL || peek().is('.'))) {
            parts.add(take());
        }
        return render(parts, false);
    }

    /** Skips what is left of an address (junk after it) up to the next comma; in a group also stops at ';'. */
    private void skipTo(boolean inGroup) {
        int depth = 0;
        while (peek() != null) {
            Token t = peek();
            if (t.is('<')) {
                depth++;
            } else if (t.is('>')) {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0 && t.is(',')) {
                take();
                return;
            } else if (depth == 0 && inGroup && t.is(';')) {
                return;
            }
            take();
        }
    }

    private Token peek() {
        while (next < tokens.size() && tokens.get(next).kind == Kind.COMMENT) {
            next++;
        }
        return next < tokens.size() ? tokens.get(next) : null;
    }

    private Token take() {
        Token t = peek();
        lastTaken = next++;
        return t;
    }

    /** Joins words: with one space where the header had space between them (a phrase), or tightly (addr-spec). */
    private static byte[] render(List<Token> words, boolean spaced) {
        if (words.isEmpty()) {
            return null;
        }
        var b = new ByteArrayOutputStream();
        for (Token t : words) {
            if (spaced && t.spaceBefore && b.size() > 0) {
                b.write(' ');
            }
            b.writeBytes(t.text);
        }
        return b.size() == 0 ? null : b.toByteArray();
    }

    private static byte[] orMissing(byte[] value, byte[] missing) {
        return value == null || value.length == 0 ? missing : value;
    }

    // ---- tokens

    private static List<Token> tokenize(byte[] s) {
        List<Token> tokens = new ArrayList<>();
        boolean space = false;
        int i = 0;
        while (i < s.length) {
            byte c = s[i];
            switch (c) {
                case ' ', '\t', '\r', '\n' -> {
                    space = true;
                    i++;
                }
                case '(' -> {
                    var text = new ByteArrayOutputStream();
                    int depth = 0;
                    for (; i < s.length; i++) {
                        byte b = s[i];
                        if (b == '\\' && i + 1 < s.length) {
                            text.write(s[++i]);
                        } else if (b == '(') {
                            if (depth++ > 0) {
                                text.write(b);
                            }
                        } else if (b == ')') {
                            if (--depth == 0) {
                                i++;
                                break;
                            }
                            text.write(b);
                        } else {
                            text.write(b);
                        }
                    }
                    tokens.add(new Token(Kind.COMMENT, text.toByteArray(), space));
                    space = true; // a comment separates words as whitespace does
                }
                case '"' -> {
                    var text = new ByteArrayOutputStream();
                    for (i++; i < s.length; i++) {
                        byte b = s[i];
                        if (b == '\\' && i + 1 < s.length) {
                            text.write(s[++i]);
                        } else if (b == '"') {
                            i++;
                            break;
                        } else if (b != '\r' && b != '\n') {
                            text.write(b);
                        }
                    }
                    tokens.add(new Token(Kind.QUOTED, text.toByteArray(), space));
                    space = false;
                }
                case '[' -> {
                    int start = i;
                    while (i < s.length && s[i] != ']') {
                        i++;
                    }
                    i = Math.min(i + 1, s.length);
                    tokens.add(new Token(Kind.LITERAL, Arrays.copyOfRange(s, start, i), space));
                    space = false;
                }
                case '<', '>', '@', ',', ';', ':', '.', ']', '\\', ')' -> {
                    tokens.add(new Token(Kind.SPECIAL, new byte[] {c}, space));
                    space = false;
                    i++;
                }
                default -> {
                    int start = i;
                    while (i < s.length && !isAtomEnd(s[i])) {
                        i++;
                    }
                    tokens.add(new Token(Kind.ATOM, Arrays.copyOfRange(s, start, i), space));
                    space = false;
                }
            }
        }
        // stray specials that mean nothing in an address are dropped, so they cannot stop a phrase
        tokens.removeIf(t -> t.is(']') || t.is('\\') || t.is(')'));
        return tokens;
    }

    private static boolean isAtomEnd(byte b) {
        return switch (b) {
            case ' ', '\t', '\r', '\n', '(', ')', '<', '>', '@', ',', ';', ':', '.', '[', ']', '\\', '"' -> true;
            default -> false;
        };
    }
}

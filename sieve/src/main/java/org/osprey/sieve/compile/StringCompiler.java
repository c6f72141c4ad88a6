package org.osprey.sieve.compile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.osprey.sieve.SieveException;
import org.osprey.sieve.program.Capability;
import org.osprey.sieve.program.Value;
import org.osprey.sieve.program.VariableName;
import org.osprey.sieve.syntax.StringLiteral;

/**
 * Turns a string literal into a {@link Value}: first "${hex:...}" and "${unicode:...}" are replaced when the script
 * requires "encoded-character" (RFC 5228 §2.4.2.4), then, when it requires "variables", "${name}" references are
 * split out for expansion at run time (RFC 5229 §3). Both passes run once over the string, left to right, and
 * never rescan what they produced. A reference that is not well-formed stays literal text; a well-formed reference
 * to an unknown namespace, or an out-of-range Unicode value, is an error.
 */
final class StringCompiler {
    private final Set<Capability> capabilities;
    private final Set<String> globals;

    /** {@code globals} is live: names declared by "global" so far in the script. */
    StringCompiler(Set<Capability> capabilities, Set<String> globals) {
        this.capabilities = capabilities;
        this.globals = globals;
    }

    Value compile(StringLiteral literal) throws SieveException {
        String text = literal.value();
        if (capabilities.contains(Capability.ENCODED_CHARACTER)) {
            text = decodeEncodedCharacters(text, literal);
        }
        if (!capabilities.contains(Capability.VARIABLES) || !text.contains("${")) {
            return Value.of(text);
        }
        List<Value.Part> parts = new ArrayList<>();
        var plain = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("${", i);
            if (open < 0) {
                plain.append(text, i, text.length());
                break;
            }
            int close = text.indexOf('}', open + 2);
            Value.Part part = close < 0 ? null : reference(text.substring(open + 2, close), literal);
            if (part == null) {
                plain.append(text, i, open + 1); // "$" stays; scanning goes on after it
                i = open + 1;
                continue;
            }
            plain.append(text, i, open);
            if (!plain.isEmpty()) {
                parts.add(new Value.Part.Text(plain.toString()));
                plain.setLength(0);
            }
            parts.add(part);
            i = close + 1;
        }
        if (!plain.isEmpty()) {
            parts.add(new Value.Part.Text(plain.toString()));
        }
        return new Value(text, parts);
    }

    /**
     * RFC 5229 §3 variable-ref content: num-variable, identifier, or namespace "." identifier; null when not
     * well-formed (the text stays literal).
     */
    private Value.Part reference(String name, StringLiteral literal) throws SieveException {
        if (!name.isEmpty() && name.chars().allMatch(c -> c >= '0' && c <= '9')) {
            String digits = name.replaceFirst("^0+(?=.)", "");
            return new Value.Part.MatchVariable(digits.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(digits));
        }
        String[] pieces = name.split("\\.", -1);
        for (int p = 0; p < pieces.length; p++) {
            boolean numeric = !pieces[p].isEmpty() && pieces[p].chars().allMatch(c -> c >= '0' && c <= '9');
            if (!isIdentifier(pieces[p]) && !(numeric && p > 0)) {
                return null;
            }
        }
        if (pieces.length == 1) {
            String lower = name.toLowerCase(Locale.ROOT);
            return new Value.Part.Variable(new VariableName(globals.contains(lower), lower));
        }
        String namespace = pieces[0].toLowerCase(Locale.ROOT);
        if (namespace.equals("global") && capabilities.contains(Capability.INCLUDE)) {
            if (pieces.length != 2 || !isIdentifier(pieces[1])) {
                throw literal.position().error("invalid name in the global namespace: \"" + name + "\"");
            }
            return new Value.Part.Variable(new VariableName(true, pieces[1].toLowerCase(Locale.ROOT)));
        }
        // RFC 5229 §3: a namespace no required extension defines is an error
        throw literal.position().error("unknown variable namespace \"" + namespace + "\" in \"${" + name + "}\""
                + (namespace.equals("global") ? " (it needs require \"include\")" : ""));
    }

    static boolean isIdentifier(String s) {
        if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) && s.charAt(0) < 128 || s.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_'))) {
                return false;
            }
        }
        return true;
    }

    /** RFC 5228 §2.4.2.4; the encoded sequence is replaced only when well-formed. */
    static String decodeEncodedCharacters(String text, StringLiteral literal) throws SieveException {
        if (!text.contains("${")) {
            return text;
        }
        var out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("${", i);
            if (open < 0) {
                out.append(text, i, text.length());
                break;
            }
            out.append(text, i, open);
            String rest = text.substring(open + 2);
            String lower = rest.toLowerCase(Locale.ROOT);
            int end = -1;
            String decoded = null;
            if (lower.startsWith("hex:")) {
                end = sequenceEnd(rest, 4, 2);
                decoded = end < 0 ? null : hex(rest.substring(4, end));
            } else if (lower.startsWith("unicode:")) {
                end = sequenceEnd(rest, 8, Integer.MAX_VALUE);
                decoded = end < 0 ? null : unicode(rest.substring(8, end), literal);
            }
            if (decoded == null) {
                out.append("$");
                i = open + 1;
            } else {
                out.append(decoded);
                i = open + 2 + end + 1;
            }
        }
        return out.toString();
    }

    /**
     * The index of the "}" closing a well-formed sequence of hex groups (each at most {@code maxDigits} long,
     * separated and optionally surrounded by blanks) starting at {@code from}, or -1.
     */
    private static int sequenceEnd(String s, int from, int maxDigits) {
        int i = from;
        int groups = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '}') {
                return groups > 0 ? i : -1;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
                continue;
            }
            if (groups > 0 && !isBlank(s.charAt(i - 1))) {
                return -1;
            }
            int start = i;
            while (i < s.length() && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128) {
                i++;
            }
            if (i == start || i - start > maxDigits) {
                return -1;
            }
            groups++;
        }
        return -1;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static String hex(String groups) {
        var bytes = new ByteArrayOutputStream();
        for (String group : groups.trim().split("[ \t\r\n]+")) {
            bytes.write(Integer.parseInt(group, 16));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String unicode(String groups, StringLiteral literal) throws SieveException {
        var out = new StringBuilder();
        for (String group : groups.trim().split("[ \t\r\n]+")) {
            String digits = group.replaceFirst("^0+(?=.)", "");
            int code = digits.length() > 6 ? Integer.MAX_VALUE : Integer.parseInt(digits, 16);
            if (code > 0x10FFFF || code >= 0xD800 && code <= 0xDFFF) {
                throw literal.position().error("encoded character ${unicode:" + group
                        + "} is not a Unicode scalar value");
            }
            out.appendCodePoint(code);
        }
        return out.toString();
    }
}

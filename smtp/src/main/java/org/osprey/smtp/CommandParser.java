package org.osprey.smtp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one command line (without CRLF) into an {@link SmtpCommand}, or throws the {@link SmtpReply} that tells
 * the client what is wrong. Pure: no I/O, no session state.
 */
public final class CommandParser {
    private CommandParser() {
    }

    public static SmtpCommand parse(String line) {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : line.substring(space + 1);
        return switch (verb) {
            case "EHLO" -> new SmtpCommand.Helo(domainArgument(rest), true);
            case "HELO" -> new SmtpCommand.Helo(domainArgument(rest), false);
            case "MAIL" -> mail(rest);
            case "RCPT" -> rcpt(rest);
            case "DATA" -> noArguments(rest, new SmtpCommand.Data());
            case "BDAT" -> bdat(rest);
            case "RSET" -> noArguments(rest, new SmtpCommand.Rset());
            case "NOOP" -> new SmtpCommand.Noop(); // RFC 5321 §4.1.1.9: an argument is allowed and ignored
            case "QUIT" -> noArguments(rest, new SmtpCommand.Quit());
            case "HELP" -> new SmtpCommand.Help();
            case "VRFY" -> new SmtpCommand.Vrfy();
            case "STARTTLS" -> noArguments(rest, new SmtpCommand.StartTls());
            case "AUTH" -> auth(rest);
            default -> throw new SmtpReply(500, "5.5.2", "Error: command not recognized");
        };
    }

    private static SmtpCommand noArguments(String rest, SmtpCommand command) {
        if (!rest.isBlank()) {
            throw new SmtpReply(501, "5.5.4", "Syntax error: no arguments allowed");
        }
        return command;
    }

    private static String domainArgument(String rest) {
        String domain = rest.strip();
        if (domain.isEmpty()) {
            throw new SmtpReply(501, "5.5.4", "Syntax: EHLO hostname");
        }
        if (domain.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new SmtpReply(501, "5.5.4", "Syntax error: invalid characters in hostname");
        }
        return domain;
    }

    private static SmtpCommand mail(String rest) {
        String args = expectKeyword(rest, "FROM:", "Syntax: MAIL FROM:<address>");
        PathAndParameters p = path(args, "MAIL FROM:<address>");
        return new SmtpCommand.Mail(p.path, p.parameters);
    }

    private static SmtpCommand rcpt(String rest) {
        String args = expectKeyword(rest, "TO:", "Syntax: RCPT TO:<address>");
        PathAndParameters p = path(args, "RCPT TO:<address>");
        if (p.path.isEmpty()) {
            throw new SmtpReply(501, "5.1.3", "Bad recipient address syntax");
        }
        return new SmtpCommand.Rcpt(p.path, p.parameters);
    }

    private static String expectKeyword(String rest, String keyword, String usage) {
        if (rest.length() < keyword.length() || !rest.substring(0, keyword.length()).equalsIgnoreCase(keyword)) {
            throw new SmtpReply(501, "5.5.4", usage);
        }
        // Many clients write "MAIL FROM: <a@b>"; Postfix accepts it, so do we.
        return rest.substring(keyword.length()).stripLeading();
    }

    private record PathAndParameters(String path, Map<String, String> parameters) {
    }

    private static PathAndParameters path(String args, String usage) {
        if (!args.startsWith("<")) {
            throw new SmtpReply(501, "5.5.4", "Syntax: " + usage);
        }
        int end = closingBracket(args);
        if (end < 0) {
            throw new SmtpReply(501, "5.5.4", "Syntax: " + usage);
        }
        String path = args.substring(1, end);
        // RFC 5321 §4.1.2: a source route "@a,@b:user@c" is accepted and its route ignored.
        if (path.startsWith("@")) {
            int colon = path.indexOf(':');
            if (colon < 0) {
                throw new SmtpReply(501, "5.1.7", "Bad address syntax");
            }
            path = path.substring(colon + 1);
        }
        return new PathAndParameters(path, parameters(args.substring(end + 1)));
    }

    /** The index of the '>' that ends the path, skipping quoted strings and escapes. */
    private static int closingBracket(String s) {
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, String> parameters(String text) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (!text.isEmpty() && !text.startsWith(" ")) {
            throw new SmtpReply(501, "5.5.4", "Syntax error in parameters");
        }
        for (String token : text.strip().split(" +")) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            String key = (eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT);
            if (key.isEmpty() || !key.matches("[A-Z0-9][A-Z0-9-]*")) {
                throw new SmtpReply(501, "5.5.4", "Syntax error in parameters");
            }
            parameters.put(key, eq < 0 ? null : token.substring(eq + 1));
        }
        return parameters;
    }

    private static SmtpCommand bdat(String rest) {
        String[] parts = rest.strip().split(" +");
        if (parts.length < 1 || parts.length > 2 || parts[0].isEmpty()) {
            throw new SmtpReply(501, "5.5.4", "Syntax: BDAT size [LAST]");
        }
        long size;
        try {
            size = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            throw new SmtpReply(501, "5.5.4", "Syntax: BDAT size [LAST]");
        }
        if (size < 0) {
            throw new SmtpReply(501, "5.5.4", "Syntax: BDAT size [LAST]");
        }
        boolean last = parts.length == 2;
        if (last && !parts[1].equalsIgnoreCase("LAST")) {
            throw new SmtpReply(501, "5.5.4", "Syntax: BDAT size [LAST]");
        }
        return new SmtpCommand.Bdat(size, last);
    }

    private static SmtpCommand auth(String rest) {
        String[] parts = rest.strip().split(" +");
        if (parts.length < 1 || parts.length > 2 || parts[0].isEmpty()) {
            throw new SmtpReply(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
        }
        return new SmtpCommand.Auth(parts[0].toUpperCase(Locale.ROOT), parts.length == 2 ? parts[1] : null);
    }
}

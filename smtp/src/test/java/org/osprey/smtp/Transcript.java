package org.osprey.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A scripted SMTP dialogue, one directive per line, run against a live server. The session is opened before the
 * first line; blank lines and lines starting with '#' are ignored.
 *
 * <pre>
 * C: text      send "text" + CRLF. Consecutive C:/W: lines go out in ONE write (that is how pipelining is written)
 * W: text      send "text" without CRLF, after unescaping \r \n \t \\ \xHH (bare LFs, BDAT chunks)
 * S: prefix    the next reply line starts with prefix
 * S= text      the next reply line is exactly text
 * S~ regex     the next reply line matches regex (whole line)
 * R: code      read one whole (multi-line) reply; every line has this code
 * A~ regex     some line of the last whole reply contains a match of regex
 * N~ regex     no line of the last whole reply contains a match of regex
 * CLOSED       the server closes the connection (nothing more is sent)
 * RECONNECT    close this session and open a new one (the next lines usually start with "S: 220")
 * </pre>
 */
final class Transcript {
    private static final int MAX_UNESCAPED = 0x7f;

    private record Step(int lineNumber, String kind, String argument) {
    }

    private final String name;
    private final List<Step> steps;

    private Transcript(String name, List<Step> steps) {
        this.name = name;
        this.steps = steps;
    }

    static Transcript load(Path file) throws IOException {
        List<Step> steps = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.equals("CLOSED") || line.equals("RECONNECT")) {
                steps.add(new Step(i + 1, line, ""));
                continue;
            }
            if (line.length() < 2 || line.length() > 2 && line.charAt(2) != ' ') {
                throw new IllegalArgumentException(file.getFileName() + ":" + (i + 1) + ": not a directive: " + line);
            }
            String kind = line.substring(0, 2);
            String argument = line.length() > 3 ? line.substring(3) : "";
            if (!List.of("C:", "W:", "S:", "S=", "S~", "R:", "A~", "N~").contains(kind)) {
                throw new IllegalArgumentException(file.getFileName() + ":" + (i + 1) + ": unknown directive " + kind);
            }
            steps.add(new Step(i + 1, kind, argument));
        }
        return new Transcript(file.getFileName().toString(), steps);
    }

    void run(int port) throws IOException {
        SmtpClient client = SmtpClient.connect(port);
        try {
            List<String> current = new ArrayList<>();
            List<String> lastReply = List.of();
            StringBuilder pending = new StringBuilder();
            for (Step step : steps) {
                if (!step.kind.equals("C:") && !step.kind.equals("W:") && !pending.isEmpty()) {
                    client.write(pending.toString());
                    pending.setLength(0);
                }
                switch (step.kind) {
                    case "C:" -> pending.append(step.argument).append("\r\n");
                    case "W:" -> pending.append(unescape(step.argument));
                    case "S:", "S=", "S~" -> {
                        String line = client.readLine();
                        if (line == null) {
                            throw failure(step, "the server closed the connection", client);
                        }
                        boolean ok = switch (step.kind) {
                            case "S:" -> line.startsWith(step.argument);
                            case "S=" -> line.equals(step.argument);
                            default -> Pattern.compile(step.argument).matcher(line).matches();
                        };
                        if (!ok) {
                            throw failure(step, "got \"" + line + "\"", client);
                        }
                        current.add(line);
                        if (line.length() <= 3 || line.charAt(3) != '-') {
                            lastReply = List.copyOf(current);
                            current.clear();
                        }
                    }
                    case "R:" -> {
                        SmtpClient.Reply reply = client.reply();
                        if (!String.valueOf(reply.code()).equals(step.argument)
                                || !reply.lines().stream().allMatch(l -> l.startsWith(step.argument))) {
                            throw failure(step, "got " + reply.lines(), client);
                        }
                        lastReply = reply.lines();
                    }
                    case "A~", "N~" -> {
                        Pattern p = Pattern.compile(step.argument);
                        boolean any = lastReply.stream().anyMatch(l -> p.matcher(l).find());
                        if (any != step.kind.equals("A~")) {
                            throw failure(step, "last reply was " + lastReply, client);
                        }
                    }
                    case "CLOSED" -> {
                        if (!client.closedByServer()) {
                            throw failure(step, "the connection is still open", client);
                        }
                    }
                    case "RECONNECT" -> {
                        client.close();
                        client = SmtpClient.connect(port);
                        current.clear();
                        lastReply = List.of();
                    }
                    default -> throw new IllegalStateException(step.kind);
                }
            }
            if (!pending.isEmpty()) {
                client.write(pending.toString());
            }
        } finally {
            client.close();
        }
    }

    private AssertionError failure(Step step, String what, SmtpClient client) {
        return new AssertionError(name + ":" + step.lineNumber + ": expected " + step.kind + " " + step.argument
                + "\n  but " + what + "\n" + client.transcript());
    }

    /** \r \n \t \\ and \xHH; anything else stands for itself. */
    static String unescape(String text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 >= text.length()) {
                sb.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 'r' -> sb.append('\r');
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case '\\' -> sb.append('\\');
                case 'x' -> {
                    int value = HexFormat.fromHexDigits(text, i + 1, i + 3);
                    if (value > MAX_UNESCAPED) {
                        throw new IllegalArgumentException("\\x escapes are for ASCII only: " + text);
                    }
                    sb.append((char) value);
                    i += 2;
                }
                default -> sb.append('\\').append(next);
            }
        }
        return sb.toString();
    }
}

package org.osprey.server;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Gets a new password: the first line of stdin (--password-stdin), or asked twice on the terminal, not echoed. */
final class PasswordInput {
    private static final int MAX_LENGTH = 1024;

    private PasswordInput() {
    }

    static String read(boolean fromStdin, InputStream stdin) throws CliException {
        String password = fromStdin ? firstLine(stdin) : prompt();
        if (password.isEmpty()) {
            throw new CliException("the password must not be empty");
        }
        return password;
    }

    private static String firstLine(InputStream in) throws CliException {
        var line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (line.size() >= MAX_LENGTH) {
                    throw new CliException("the password is longer than " + MAX_LENGTH + " bytes");
                }
                line.write(b);
            }
        } catch (IOException e) {
            throw new CliException("cannot read the password from stdin: " + e.getMessage());
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static String prompt() throws CliException {
        Console console = System.console();
        if (console == null || !console.isTerminal()) {
            throw new CliException("no terminal to ask for the password on; pipe it in with --password-stdin");
        }
        char[] first = console.readPassword("New password: ");
        char[] second = console.readPassword("Repeat password: ");
        if (first == null || second == null) {
            throw new CliException("no password given");
        }
        try {
            if (!Arrays.equals(first, second)) {
                throw new CliException("the two passwords differ; nothing changed");
            }
            return new String(first);
        } finally {
            Arrays.fill(first, '\0');
            Arrays.fill(second, '\0');
        }
    }
}

package org.osprey.pop3;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.osprey.core.address.AddressException;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.net.Connection;
import org.osprey.core.net.Line;
import org.osprey.core.sasl.AuthResult;
import org.osprey.core.sasl.Credentials;
import org.osprey.core.sasl.SaslException;
import org.osprey.core.sasl.SaslServer;
import org.osprey.store.Folders;
import org.osprey.store.MaildirQuota;
import org.osprey.store.index.MessageEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One POP3 connection, as RFC 1939 tells it: AUTHORIZATION (CAPA, STLS, USER/PASS, AUTH), TRANSACTION (STAT, LIST,
 * RETR, DELE, NOOP, RSET, TOP, UIDL) and UPDATE at QUIT. Errors are "-ERR reason" (with RFC 2449/3206 response
 * codes where they say more) and the session goes on; too many in a row end it.
 */
final class Pop3Session {
    private static final Logger log = LoggerFactory.getLogger(Pop3Session.class);

    private final Pop3Protocol protocol;
    private final Connection connection;
    private String user; // after USER
    private EmailAddress account;
    private Maildrop maildrop;
    private int errors;

    Pop3Session(Pop3Protocol protocol, Connection connection) {
        this.protocol = protocol;
        this.connection = connection;
    }

    /** A command refused with -ERR. */
    private static final class Refused extends Exception {
        Refused(String text) {
            super(text, null, false, false);
        }
    }

    void run() throws IOException {
        try {
            reply("+OK " + protocol.hostname + " Osprey POP3 ready.");
            connection.flush();
            while (true) {
                Line line;
                try {
                    line = connection.readLine(); // an overlong line is answered and counted by the base
                } catch (EOFException e) {
                    return;
                }
                if (!handle(line.text())) {
                    return;
                }
                if (!connection.hasBufferedInput()) {
                    connection.flush();
                }
                if (errors >= protocol.limits.maxErrors()) {
                    reply("-ERR Too many bad commands, closing");
                    connection.flush();
                    return;
                }
            }
        } finally {
            closeMaildrop();
        }
    }

    /** Handles one command line; false after QUIT. */
    private boolean handle(String text) throws IOException {
        String trimmed = text.strip();
        int space = trimmed.indexOf(' ');
        String command = (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
        String arguments = space < 0 ? "" : trimmed.substring(space + 1).strip();
        try {
            if (command.equals("QUIT")) {
                quit();
                return false;
            }
            if (maildrop == null) {
                authorization(command, arguments);
            } else {
                transaction(command, arguments);
            }
            errors = 0;
        } catch (Refused e) {
            refuse(e.getMessage());
        } catch (IOException e) {
            if (e instanceof java.net.SocketException || e instanceof javax.net.ssl.SSLException) {
                throw e;
            }
            log.error("pop3 {} failed for {}: {}", command, account, e.toString(), e);
            reply("-ERR [SYS/TEMP] Internal error, try again later");
        }
        return true;
    }

    private void refuse(String text) throws IOException {
        errors++;
        reply("-ERR " + text);
    }

    private void reply(String line) throws IOException {
        connection.write(line + "\r\n");
    }

    // ---- AUTHORIZATION

    private boolean passwordsAllowed() {
        return connection.isTls() || protocol.plaintextWithoutTls;
    }

    private void authorization(String command, String arguments) throws IOException, Refused {
        switch (command) {
            case "CAPA" -> capa();
            case "STLS" -> startTls();
            case "USER" -> {
                requirePasswordsAllowed();
                if (arguments.isEmpty()) {
                    throw new Refused("USER needs a name");
                }
                user = arguments;
                reply("+OK");
            }
            case "PASS" -> {
                requirePasswordsAllowed();
                if (user == null) {
                    throw new Refused("USER first");
                }
                String name = user;
                user = null;
                login(new Credentials("USER", "", name, arguments));
            }
            case "AUTH" -> authenticate(arguments);
            case "APOP" -> throw new Refused("APOP is not offered; use TLS with USER/PASS or AUTH");
            case "NOOP", "STAT", "LIST", "RETR", "DELE", "RSET", "TOP", "UIDL" ->
                    throw new Refused("Not logged in");
            default -> throw new Refused("Unknown command");
        }
    }

    private void requirePasswordsAllowed() throws Refused {
        if (!passwordsAllowed()) {
            throw new Refused("[AUTH] Plaintext authentication disallowed on non-secure connections; use STLS");
        }
    }

    private void capa() throws IOException {
        StringBuilder out = new StringBuilder("+OK Capability list follows\r\n");
        out.append("TOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nEXPIRE NEVER\r\n");
        if (maildrop == null) {
            if (connection.canStartTls()) {
                out.append("STLS\r\n");
            }
            if (passwordsAllowed()) {
                out.append("USER\r\nSASL PLAIN LOGIN\r\n");
            }
        }
        out.append("IMPLEMENTATION Osprey\r\n.");
        reply(out.toString());
    }

    private void startTls() throws IOException, Refused {
        if (connection.isTls()) {
            throw new Refused("TLS is already active");
        }
        if (!connection.canStartTls()) {
            throw new Refused("TLS is not available");
        }
        reply("+OK Begin TLS negotiation");
        connection.flush();
        connection.startTls();
        user = null; // RFC 2595 §4: forget what was learned before TLS
    }

    private void authenticate(String arguments) throws IOException, Refused {
        if (arguments.isEmpty()) {
            // the pre-RFC 5034 form some clients still send: list the mechanisms
            reply("+OK\r\n" + (passwordsAllowed() ? "PLAIN\r\nLOGIN\r\n" : "") + ".");
            return;
        }
        requirePasswordsAllowed();
        String[] parts = arguments.split(" ", 2);
        SaslServer sasl;
        try {
            sasl = SaslServer.start(parts[0]);
        } catch (SaslException e) {
            throw new Refused("Unsupported authentication mechanism");
        }
        try {
            Optional<byte[]> challenge = parts.length > 1
                    ? sasl.respond(decode(parts[1].equals("=") ? "" : parts[1]))
                    : Optional.of(sasl.initialChallenge());
            while (challenge.isPresent()) {
                reply("+ " + Base64.getEncoder().encodeToString(challenge.get()));
                connection.flush();
                String response = connection.readLine(Pop3Protocol.MAX_LINE).text().strip();
                if (response.equals("*")) {
                    throw new Refused("Authentication canceled");
                }
                challenge = sasl.respond(decode(response));
            }
        } catch (SaslException e) {
            throw new Refused("Invalid SASL response");
        }
        login(sasl.credentials().orElseThrow());
    }

    private static byte[] decode(String base64) throws Refused {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new Refused("Invalid base64");
        }
    }

    private void login(Credentials credentials) throws IOException, Refused {
        AuthResult result = protocol.authenticator.authenticate(credentials, connection.remote().getAddress(),
                "pop3");
        switch (result) {
            case AuthResult.Success s -> open(s.account());
            case AuthResult.Failure _ -> throw new Refused("[AUTH] Authentication failed.");
            case AuthResult.Blocked _ -> throw new Refused("[SYS/TEMP] Too many failed logins; try again later.");
            case AuthResult.Unavailable _ ->
                    throw new Refused("[SYS/TEMP] Temporary authentication failure; try again later.");
        }
    }

    private void open(String name) throws IOException, Refused {
        EmailAddress address;
        try {
            address = EmailAddress.parse(name);
        } catch (AddressException e) {
            throw new Refused("[SYS/PERM] Account name is not usable");
        }
        String key = address.toString().toLowerCase(Locale.ROOT);
        if (!protocol.inUse.add(key)) {
            throw new Refused("[IN-USE] Mailbox is locked by another POP3 session");
        }
        try {
            Path maildir = protocol.layout.maildir(address);
            Folders.ensureMailbox(maildir);
            maildrop = new Maildrop(protocol.indexes.acquire(maildir));
            account = address;
        } catch (IOException | RuntimeException e) {
            protocol.inUse.remove(key);
            throw e;
        }
        reply("+OK Logged in; " + maildrop.count() + " messages (" + maildrop.octets() + " octets)");
    }

    // ---- TRANSACTION

    private void transaction(String command, String arguments) throws IOException, Refused {
        switch (command) {
            case "STAT" -> {
                noArguments(arguments);
                reply("+OK " + maildrop.count() + " " + maildrop.octets());
            }
            case "LIST" -> {
                if (!arguments.isEmpty()) {
                    int n = number(arguments);
                    reply("+OK " + n + " " + existing(n).virtualSize());
                    return;
                }
                StringBuilder out = new StringBuilder("+OK " + maildrop.count() + " messages\r\n");
                for (int n = 1; n <= maildrop.size(); n++) {
                    MessageEntry m = maildrop.message(n);
                    if (m != null) {
                        out.append(n).append(' ').append(m.virtualSize()).append("\r\n");
                    }
                }
                reply(out.append('.').toString());
            }
            case "UIDL" -> {
                if (!arguments.isEmpty()) {
                    int n = number(arguments);
                    reply("+OK " + n + " " + maildrop.uidl(existing(n)));
                    return;
                }
                StringBuilder out = new StringBuilder("+OK\r\n");
                for (int n = 1; n <= maildrop.size(); n++) {
                    MessageEntry m = maildrop.message(n);
                    if (m != null) {
                        out.append(n).append(' ').append(maildrop.uidl(m)).append("\r\n");
                    }
                }
                reply(out.append('.').toString());
            }
            case "RETR" -> {
                MessageEntry m = existing(number(arguments));
                reply("+OK " + m.virtualSize() + " octets");
                maildrop.write(m, connection.output(), -1);
                maildrop.markSeen(m);
            }
            case "TOP" -> {
                String[] parts = arguments.split(" +");
                if (parts.length != 2) {
                    throw new Refused("Usage: TOP message lines");
                }
                MessageEntry m = existing(number(parts[0]));
                long lines = count(parts[1]);
                reply("+OK");
                maildrop.write(m, connection.output(), lines);
            }
            case "DELE" -> {
                int n = number(arguments);
                existing(n);
                maildrop.delete(n);
                reply("+OK Marked to be deleted.");
            }
            case "RSET" -> {
                noArguments(arguments);
                maildrop.reset();
                reply("+OK " + maildrop.count() + " messages");
            }
            case "NOOP" -> {
                noArguments(arguments);
                reply("+OK");
            }
            case "CAPA" -> capa();
            case "USER", "PASS", "AUTH", "APOP", "STLS" -> throw new Refused("Already logged in");
            default -> throw new Refused("Unknown command");
        }
    }

    private MessageEntry existing(int n) throws Refused {
        if (n < 1 || n > maildrop.size()) {
            throw new Refused("There's no message " + n + ".");
        }
        MessageEntry m = maildrop.message(n);
        if (m == null) {
            throw new Refused("Message " + n + " is deleted.");
        }
        return m;
    }

    private static int number(String text) throws Refused {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
            throw new Refused("Invalid message number");
        }
        return Integer.parseInt(text);
    }

    private static long count(String text) throws Refused {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
            throw new Refused("Invalid number of lines");
        }
        return Long.parseLong(text);
    }

    private static void noArguments(String arguments) throws Refused {
        if (!arguments.isEmpty()) {
            throw new Refused("No arguments expected");
        }
    }

    // ---- UPDATE

    private void quit() throws IOException {
        if (maildrop == null) {
            reply("+OK Logging out.");
            connection.flush();
            return;
        }
        try {
            int deleted = maildrop.deletedCount();
            long bytes = maildrop.update();
            if (deleted > 0) {
                Path maildir = protocol.layout.maildir(account);
                long limit = protocol.directory.mailbox(account).map(m -> m.quotaBytes()).orElse(0L);
                MaildirQuota.add(maildir, -bytes, -deleted, limit);
                protocol.signals.changed(maildir);
            }
            reply("+OK Logging out" + (deleted > 0 ? ", " + deleted + " messages deleted." : "."));
        } catch (IOException e) {
            log.error("pop3 UPDATE failed for {}: {}", account, e.toString(), e);
            reply("-ERR [SYS/TEMP] Some deleted messages were not removed");
        }
        connection.flush();
    }

    private void closeMaildrop() {
        if (maildrop != null) {
            maildrop.close();
            protocol.inUse.remove(account.toString().toLowerCase(Locale.ROOT));
            maildrop = null;
        }
    }
}

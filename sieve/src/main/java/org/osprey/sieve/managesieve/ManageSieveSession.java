package org.osprey.sieve.managesieve;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.osprey.core.address.AddressException;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.net.Connection;
import org.osprey.core.sasl.AuthResult;
import org.osprey.core.sasl.Credentials;
import org.osprey.core.sasl.SaslException;
import org.osprey.core.sasl.SaslServer;
import org.osprey.sieve.managesieve.SieveCommand.Authenticate;
import org.osprey.sieve.managesieve.SieveCommand.Capability;
import org.osprey.sieve.managesieve.SieveCommand.CheckScript;
import org.osprey.sieve.managesieve.SieveCommand.DeleteScript;
import org.osprey.sieve.managesieve.SieveCommand.GetScript;
import org.osprey.sieve.managesieve.SieveCommand.HaveSpace;
import org.osprey.sieve.managesieve.SieveCommand.ListScripts;
import org.osprey.sieve.managesieve.SieveCommand.Logout;
import org.osprey.sieve.managesieve.SieveCommand.Noop;
import org.osprey.sieve.managesieve.SieveCommand.PutScript;
import org.osprey.sieve.managesieve.SieveCommand.RenameScript;
import org.osprey.sieve.managesieve.SieveCommand.SetActive;
import org.osprey.sieve.managesieve.SieveCommand.StartTls;
import org.osprey.sieve.managesieve.SieveCommand.Unauthenticate;
import org.osprey.sieve.store.ScriptStore;
import org.osprey.sieve.store.ScriptStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ManageSieve connection (RFC 5804): the greeting with the capabilities, then commands until LOGOUT. Before login
 * only CAPABILITY, STARTTLS, AUTHENTICATE, NOOP and LOGOUT are accepted; after it the script commands, which act on
 * the logged-in user's scripts only. A refused command gets {@code NO (code) "reason"} and the session goes on;
 * {@code maxErrors} refusals in a row, a line or literal too large to stay in step with, or shutdown end it with BYE.
 */
final class ManageSieveSession {
    private static final Logger log = LoggerFactory.getLogger(ManageSieveSession.class);
    private static final String IMPLEMENTATION = "Osprey ManageSieve";

    private final ManageSieveProtocol protocol;
    private final Connection connection;
    private final CommandReader reader;
    private EmailAddress account; // null until AUTHENTICATE succeeds and again after UNAUTHENTICATE
    private int errors;

    ManageSieveSession(ManageSieveProtocol protocol, Connection connection) {
        this.protocol = protocol;
        this.connection = connection;
        this.reader = new CommandReader(ManageSieveProtocol.MAX_LINE, protocol.maxDrain(), this::admitLiteral);
    }

    void run() throws IOException {
        capabilities();
        connection.write(Responses.ok("Osprey ManageSieve ready."));
        connection.flush();
        while (true) {
            boolean goOn;
            try {
                SieveCommand command = reader.read(connection.input());
                goOn = handle(command);
            } catch (EOFException e) {
                if (connection.shutdownRequested()) {
                    throw e; // the base says goodbye
                }
                return;
            } catch (ManageSieveReply e) {
                goOn = refuse(e);
            }
            if (!goOn) {
                connection.flush();
                return;
            }
            if (errors >= protocol.maxErrors) {
                connection.write(protocol.tooManyErrorsReply());
                connection.flush();
                return;
            }
            if (connection.shutdownRequested()) {
                connection.write(protocol.shutdownReply());
                connection.flush();
                return;
            }
            if (!connection.hasBufferedInput()) {
                connection.flush();
            }
        }
    }

    /** Runs one command and writes its response; false when the session is over. */
    private boolean handle(SieveCommand command) throws IOException {
        try {
            switch (command) {
                case Capability _ -> {
                    capabilities();
                    connection.write(Responses.ok("Capability completed."));
                }
                case Logout _ -> {
                    connection.write(Responses.ok("Logout completed."));
                    return false;
                }
                case Noop noop -> {
                    // RFC 5804 §2.11: the tag comes back in a TAG response code (sieve-connect resyncs on it)
                    connection.write(noop.tag()
                            .map(tag -> "OK (TAG " + Responses.string(tag) + ") \"Done\"\r\n")
                            .orElse(Responses.ok("Done")));
                }
                case StartTls _ -> startTls();
                case Authenticate authenticate -> authenticate(authenticate);
                case Unauthenticate _ -> {
                    loggedIn();
                    // RFC 5804 §2.14.1: back to the non-authenticated state; TLS stays
                    log.info("managesieve logout without disconnect: user=<{}>", account);
                    account = null;
                    connection.write(Responses.ok("Unauthenticate completed."));
                }
                default -> scriptCommand(command);
            }
            errors = 0;
            return true;
        } catch (ManageSieveReply e) {
            return refuse(e);
        }
    }

    /** Writes a NO (the session goes on) or a BYE (it ends); false when it ends. */
    private boolean refuse(ManageSieveReply e) throws IOException {
        connection.write(e.response());
        if (e.fatal()) {
            log.info("managesieve closing: {}", e.getMessage());
            return false;
        }
        errors++;
        return true;
    }

    // ---- before login

    private boolean passwordsAllowed() {
        return connection.isTls() || protocol.plaintextWithoutTls;
    }

    /** The capability lines (RFC 5804 §1.7), without the OK that ends them. */
    private void capabilities() throws IOException {
        StringBuilder out = new StringBuilder(256);
        capability(out, "IMPLEMENTATION", IMPLEMENTATION);
        // an empty SASL list before TLS tells clients to STARTTLS first (§1.7 allows it only with STARTTLS)
        capability(out, "SASL", passwordsAllowed() ? String.join(" ", SaslServer.MECHANISMS) : "");
        capability(out, "SIEVE", String.join(" ", protocol.sieveExtensions));
        if (account == null && connection.canStartTls()) {
            capability(out, "STARTTLS", null);
        }
        capability(out, "MAXREDIRECTS", Integer.toString(protocol.maxRedirects));
        if (account != null) {
            capability(out, "OWNER", account.toString());
        }
        capability(out, "UNAUTHENTICATE", null);
        capability(out, "VERSION", "1.0");
        connection.write(out.toString());
    }

    private static void capability(StringBuilder out, String name, String value) {
        out.append('"').append(name).append('"');
        if (value != null) {
            out.append(' ').append(Responses.string(value));
        }
        out.append("\r\n");
    }

    private void startTls() throws IOException, ManageSieveReply {
        if (account != null) {
            throw ManageSieveReply.no("STARTTLS is only allowed before login");
        }
        if (connection.isTls()) {
            throw ManageSieveReply.no("TLS is already active");
        }
        if (!connection.canStartTls()) {
            throw ManageSieveReply.no("TLS is not available");
        }
        connection.write(Responses.ok("Begin TLS negotiation now."));
        connection.flush();
        connection.startTls(); // drops whatever the client pipelined in clear text
        // RFC 5804 §2.2: the capabilities again, unasked, as they may have changed (SASL now offers mechanisms)
        capabilities();
        connection.write(Responses.ok("TLS negotiation successful."));
    }

    private void authenticate(Authenticate command) throws IOException, ManageSieveReply {
        if (account != null) {
            throw ManageSieveReply.no("Already authenticated");
        }
        if (!passwordsAllowed()) {
            throw ManageSieveReply.no(ResponseCode.ENCRYPT_NEEDED,
                    "Authentication needs TLS; use STARTTLS first");
        }
        SaslServer sasl;
        try {
            sasl = SaslServer.start(command.mechanism());
        } catch (SaslException e) {
            throw ManageSieveReply.no("Unsupported authentication mechanism");
        }
        try {
            Optional<byte[]> challenge = command.initialResponse().isPresent()
                    ? sasl.respond(decode(command.initialResponse().get()))
                    : Optional.of(sasl.initialChallenge());
            while (challenge.isPresent()) {
                // §2.1: a challenge is a string on a line of its own; the answer is a string, or "*" to cancel
                connection.write(Responses.string(Base64.getEncoder().encodeToString(challenge.get())) + "\r\n");
                connection.flush();
                String response = reader.readSaslResponse(connection.input());
                if (response.equals("*")) {
                    throw ManageSieveReply.no("Authentication cancelled");
                }
                challenge = sasl.respond(decode(response));
            }
        } catch (SaslException e) {
            throw ManageSieveReply.no("Invalid SASL response");
        }
        login(sasl.credentials().orElseThrow());
    }

    private static byte[] decode(String base64) throws ManageSieveReply {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw ManageSieveReply.no("Invalid base64 in SASL response");
        }
    }

    private void login(Credentials credentials) throws IOException, ManageSieveReply {
        AuthResult result = protocol.authenticator.authenticate(credentials, connection.remote().getAddress(),
                protocol.name());
        switch (result) {
            case AuthResult.Success success -> {
                try {
                    account = EmailAddress.parse(success.account());
                } catch (AddressException e) {
                    log.error("managesieve: account name {} from the directory is not an address", success.account());
                    throw ManageSieveReply.no("Account name is not usable");
                }
                connection.write(Responses.ok("Logged in."));
            }
            case AuthResult.Failure _ -> throw ManageSieveReply.no("Authentication failed.");
            case AuthResult.Blocked _ ->
                    throw ManageSieveReply.no(ResponseCode.TRYLATER, "Too many failed logins; try again later.");
            case AuthResult.Unavailable _ -> throw ManageSieveReply.no(ResponseCode.TRYLATER,
                    "Temporary authentication failure; try again later.");
        }
    }

    private void loggedIn() throws ManageSieveReply {
        if (account == null) {
            throw ManageSieveReply.no("Authenticate first");
        }
    }

    /** Decides on a literal before its octets are read: no scripts before login, none over the size limit. */
    private void admitLiteral(String verb, boolean script, long size) throws ManageSieveReply {
        if (!script) {
            if (size > ManageSieveProtocol.MAX_STRING_LITERAL) {
                throw ManageSieveReply.no("String too long");
            }
            return;
        }
        loggedIn();
        store(() -> {
            protocol.store.limits().checkScriptSize(size);
            return null;
        });
    }

    // ---- after login

    private void scriptCommand(SieveCommand command) throws IOException, ManageSieveReply {
        loggedIn();
        ScriptStore store = protocol.store;
        switch (command) {
            case HaveSpace c -> {
                store(() -> {
                    store.haveSpace(account, c.name(), c.size());
                    return null;
                });
                connection.write(Responses.ok("Putscript would succeed."));
            }
            case PutScript c -> {
                long size = c.script().getBytes(StandardCharsets.UTF_8).length;
                store(() -> {
                    store.haveSpace(account, c.name(), size); // the cheap refusal before compiling
                    return null;
                });
                check(c.script());
                store(() -> {
                    store.put(account, c.name(), c.script());
                    return null;
                });
                log.info("managesieve stored script: user=<{}>, name=\"{}\", size={}", account, c.name(), size);
                connection.write(Responses.ok("Putscript completed."));
            }
            case CheckScript c -> {
                check(c.script());
                connection.write(Responses.ok("Script is valid."));
            }
            case ListScripts _ -> {
                List<ScriptStore.ScriptInfo> scripts = store(() -> store.list(account));
                StringBuilder out = new StringBuilder();
                for (ScriptStore.ScriptInfo script : scripts) {
                    out.append(Responses.string(script.name())).append(script.active() ? " ACTIVE\r\n" : "\r\n");
                }
                connection.write(out.toString());
                connection.write(Responses.ok("Listscripts completed."));
            }
            case SetActive c -> {
                store(() -> {
                    store.setActive(account, c.name());
                    return null;
                });
                log.info("managesieve {}: user=<{}>{}", c.name().isEmpty() ? "deactivated" : "activated script",
                        account, c.name().isEmpty() ? "" : ", name=\"" + c.name() + "\"");
                connection.write(Responses.ok(c.name().isEmpty() ? "Deactivated." : "Setactive completed."));
            }
            case GetScript c -> {
                Optional<String> text = store(() -> store.get(account, c.name()));
                if (text.isEmpty()) {
                    throw ManageSieveReply.no(ResponseCode.NONEXISTENT, "There is no script by that name");
                }
                byte[] bytes = text.get().getBytes(StandardCharsets.UTF_8);
                // §2.9: always a literal, then CRLF, then OK
                connection.write("{" + bytes.length + "}\r\n");
                connection.write(bytes, 0, bytes.length);
                connection.write("\r\n");
                connection.write(Responses.ok("Getscript completed."));
            }
            case DeleteScript c -> {
                store(() -> {
                    store.delete(account, c.name());
                    return null;
                });
                log.info("managesieve deleted script: user=<{}>, name=\"{}\"", account, c.name());
                connection.write(Responses.ok("Deletescript completed."));
            }
            case RenameScript c -> {
                store(() -> {
                    store.rename(account, c.oldName(), c.newName());
                    return null;
                });
                log.info("managesieve renamed script: user=<{}>, name=\"{}\", new=\"{}\"", account, c.oldName(),
                        c.newName());
                connection.write(Responses.ok("Renamescript completed."));
            }
            default -> throw new IllegalStateException("not a script command: " + command.verb());
        }
    }

    private void check(String script) throws ManageSieveReply {
        Optional<String> error;
        try {
            error = protocol.checker.check(script);
        } catch (RuntimeException e) {
            log.error("managesieve: the script checker failed for user=<{}>", account, e);
            throw ManageSieveReply.no(ResponseCode.TRYLATER, "Internal error checking the script");
        }
        if (error.isPresent()) {
            throw ManageSieveReply.no(error.get());
        }
    }

    /** A store operation, its refusals turned into NO with the matching response code. */
    private interface StoreOperation<T> {
        T run() throws IOException, ScriptStoreException;
    }

    private <T> T store(StoreOperation<T> operation) throws ManageSieveReply {
        try {
            return operation.run();
        } catch (ScriptStoreException e) {
            ResponseCode code = switch (e.reason()) {
                case INVALID_NAME -> null;
                case NONEXISTENT -> ResponseCode.NONEXISTENT;
                case ALREADY_EXISTS -> ResponseCode.ALREADYEXISTS;
                case ACTIVE -> ResponseCode.ACTIVE;
                case QUOTA_MAXSIZE -> ResponseCode.QUOTA_MAXSIZE;
                case QUOTA_MAXSCRIPTS -> ResponseCode.QUOTA_MAXSCRIPTS;
                case QUOTA_STORAGE -> ResponseCode.QUOTA;
            };
            throw ManageSieveReply.no(code, e.getMessage());
        } catch (IOException e) {
            log.error("managesieve: script storage failed for user=<{}>: {}", account, e.toString(), e);
            throw ManageSieveReply.no(ResponseCode.TRYLATER, "Internal error in the script storage; try again later");
        }
    }
}

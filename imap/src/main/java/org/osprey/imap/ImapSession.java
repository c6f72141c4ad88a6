package org.osprey.imap;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.osprey.core.sasl.SaslException;
import org.osprey.core.address.AddressException;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.net.Connection;
import org.osprey.core.net.Line;
import org.osprey.core.sasl.AuthResult;
import org.osprey.core.sasl.Credentials;
import org.osprey.core.sasl.SaslServer;
import org.osprey.imap.parse.CommandReader;
import org.osprey.imap.parse.ImapCommand;
import org.osprey.imap.parse.ImapParseException;
import org.osprey.imap.parse.LiteralHandler;
import org.osprey.imap.parse.MessageData;
import org.osprey.imap.parse.ParserLimits;
import org.osprey.store.Folders;
import org.osprey.store.index.FolderSnapshot;
import org.osprey.store.search.FullTextIndexes;
import org.osprey.store.index.MaildirFlags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IMAP connection, as plain sequential code: read a command (the parser), act on it (this class for the
 * connection's state, {@link MailboxCommands}, {@link MessageCommands}, {@link FetchCommand},
 * {@link SearchCommands}, {@link IdleCommand} for the rest), write the responses. States as RFC 9051 §3: not
 * authenticated, authenticated, selected, logout. Errors the client causes are tagged NO/BAD and the session goes
 * on; too many bad commands in a row end it with BYE.
 */
final class ImapSession implements LiteralHandler {
    private static final Logger log = LoggerFactory.getLogger(ImapSession.class);
    private static final int APPEND_MEMORY_THRESHOLD = 256 * 1024;

    final ImapProtocol protocol;
    final Connection connection;
    Responses out;
    private final CommandReader reader;
    private int consecutiveErrors;

    // authenticated state
    EmailAddress account;
    Mailboxes mailboxes;
    private FullTextIndexes.Lease fullText;
    // selected state
    SelectedFolder selected;
    // ENABLEd extensions (RFC 5161)
    boolean condstore;
    boolean qresync;
    boolean utf8;
    boolean rev2;

    ImapSession(ImapProtocol protocol, Connection connection) {
        this.protocol = protocol;
        this.connection = connection;
        this.out = new Responses(connection.output());
        ParserLimits limits = ParserLimits.DEFAULT.withMaxAppendBytes(protocol.limits.appendLimit())
                .withMaxCommandBytes(protocol.limits.maxCommandBytes());
        this.reader = new CommandReader(this, limits);
    }

    void run() throws IOException {
        try {
            out.untagged("OK [CAPABILITY " + capabilities() + "] " + protocol.hostname + " Osprey IMAP ready");
            out.flush();
            while (true) {
                if (connection.shutdownRequested()) {
                    out.untagged("BYE [UNAVAILABLE] Server shutting down");
                    out.flush();
                    return;
                }
                ImapCommand command;
                try {
                    command = reader.read(connection.input());
                } catch (ImapParseException e) {
                    out.write(e.response().getBytes(StandardCharsets.UTF_8));
                    if (e.fatal() || ++consecutiveErrors >= protocol.limits.maxErrors()) {
                        out.untagged("BYE " + (e.fatal() ? "Can't continue after this error"
                                : "Too many invalid commands"));
                        out.flush();
                        return;
                    }
                    out.flush();
                    continue;
                } catch (EOFException e) {
                    return;
                }
                boolean go = execute(command);
                if (!go) {
                    return;
                }
                if (!connection.hasBufferedInput()) {
                    out.flush();
                }
                if (consecutiveErrors >= protocol.limits.maxErrors()) {
                    out.untagged("BYE Too many invalid commands");
                    out.flush();
                    return;
                }
            }
        } finally {
            unselect();
            if (fullText != null) {
                fullText.close();
            }
        }
    }

    /** The user's full-text index, opened on the first search of the session. */
    FullTextIndexes.Lease fullText() throws IOException {
        if (fullText == null) {
            fullText = protocol.fullText.acquire(protocol.layout.home(account));
        }
        return fullText;
    }

    /** Runs one command and writes its completion; false when the session ends (LOGOUT). */
    private boolean execute(ImapCommand command) throws IOException {
        String tag = command.tag();
        try {
            String done = dispatch(command);
            if (done == null) {
                return false;
            }
            consecutiveErrors = 0;
            if (!done.equals(REPLIED)) {
                out.tagged(tag, done);
            }
        } catch (ImapException e) {
            if (e.isBad()) {
                consecutiveErrors++;
            }
            out.tagged(tag, e.response());
        } catch (SocketTimeoutException | EOFException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (connectionBroken(e)) {
                throw e;
            }
            log.error("imap {} failed for {}: {}", command.name(), account, e.toString(), e);
            out.tagged(tag, "NO [SERVERBUG] Internal error occurred. Refer to server log for more information.");
        } finally {
            if (command instanceof ImapCommand.Append append) {
                append.message().close();
            }
        }
        return true;
    }

    private static boolean connectionBroken(Exception e) {
        return e instanceof java.net.SocketException || e instanceof javax.net.ssl.SSLException;
    }

    /** The tagged completion text ("OK ..."), or null after LOGOUT. */
    private String dispatch(ImapCommand command) throws ImapException, IOException {
        switch (command) {
            case ImapCommand.Capability _ -> {
                out.untagged("CAPABILITY " + capabilities());
                return ok("CAPABILITY completed");
            }
            case ImapCommand.Noop _ -> {
                return ok("NOOP completed");
            }
            case ImapCommand.Logout _ -> {
                out.untagged("BYE Logging out");
                out.tagged(command.tag(), "OK LOGOUT completed");
                out.flush();
                return null;
            }
            case ImapCommand.Id _ -> {
                out.untagged("ID (\"name\" \"Osprey\" \"vendor\" \"Osprey\")");
                return ok("ID completed");
            }
            case ImapCommand.StartTls _ -> {
                return startTls(command.tag());
            }
            case ImapCommand.Login c -> {
                requireState(false);
                return login(new Credentials("LOGIN", "", c.user(), c.password()));
            }
            case ImapCommand.Authenticate c -> {
                requireState(false);
                return authenticate(c);
            }
            default -> {
                // every other command needs a logged-in user
            }
        }
        requireState(true);
        return switch (command) {
            case ImapCommand.Enable c -> enable(c);
            case ImapCommand.Namespace _ -> {
                out.untagged("NAMESPACE ((\"\" \".\")) NIL NIL");
                yield ok("NAMESPACE completed");
            }
            case ImapCommand.Select c -> select(c);
            case ImapCommand.Create c -> new MailboxCommands(this).create(c);
            case ImapCommand.Delete c -> new MailboxCommands(this).delete(c);
            case ImapCommand.Rename c -> new MailboxCommands(this).rename(c);
            case ImapCommand.Subscribe c -> new MailboxCommands(this).subscribe(c.mailbox(), true);
            case ImapCommand.Unsubscribe c -> new MailboxCommands(this).subscribe(c.mailbox(), false);
            case ImapCommand.ListMailboxes c -> new MailboxCommands(this).list(c);
            case ImapCommand.Lsub c -> new MailboxCommands(this).lsub(c);
            case ImapCommand.Status c -> new MailboxCommands(this).status(c);
            case ImapCommand.Append c -> new MailboxCommands(this).append(c);
            case ImapCommand.GetQuota c -> new MailboxCommands(this).getQuota(c);
            case ImapCommand.GetQuotaRoot c -> new MailboxCommands(this).getQuotaRoot(c);
            case ImapCommand.SetQuota _ -> throw ImapException.no("NOPERM", "Quotas are set by the administrator");
            case ImapCommand.Idle c -> new IdleCommand(this).run(c);
            default -> selectedCommand(command);
        };
    }

    private String selectedCommand(ImapCommand command) throws ImapException, IOException {
        if (selected == null) {
            throw ImapException.bad("No mailbox selected");
        }
        return switch (command) {
            case ImapCommand.Check _ -> ok("CHECK completed");
            case ImapCommand.Close _ -> {
                if (!selected.readOnly) {
                    selected.index().expungeDeleted(null);
                    protocol.signals.changed(selected.directory);
                }
                unselect();
                yield "OK CLOSE completed";
            }
            case ImapCommand.Unselect _ -> {
                unselect();
                yield "OK UNSELECT completed";
            }
            case ImapCommand.Expunge _ -> new MessageCommands(this).expunge(null);
            case ImapCommand.UidExpunge c -> new MessageCommands(this).expunge(c.uids());
            case ImapCommand.Store c -> new MessageCommands(this).store(c);
            case ImapCommand.Copy c -> new MessageCommands(this).copy(c.set(), c.uid(), c.mailbox(), false);
            case ImapCommand.Move c -> new MessageCommands(this).copy(c.set(), c.uid(), c.mailbox(), true);
            case ImapCommand.Fetch c -> new FetchCommand(this).run(c);
            case ImapCommand.Search c -> new SearchCommands(this).search(c);
            case ImapCommand.Sort c -> new SearchCommands(this).sort(c);
            case ImapCommand.Thread c -> new SearchCommands(this).thread(c);
            default -> throw ImapException.bad("Command not valid in this state");
        };
    }

    /**
     * "OK text" after sending the updates of the selected folder that this moment may carry: NOOP, CHECK and
     * every command that is not FETCH, STORE or SEARCH may report expunges.
     */
    String ok(String text) throws IOException {
        sendUpdates(true);
        return "OK " + text;
    }

    void sendUpdates(boolean allowExpunge) throws IOException {
        if (selected != null) {
            selected.update(out, mode(allowExpunge));
        }
    }

    SelectedFolder.Mode mode(boolean allowExpunge) {
        return new SelectedFolder.Mode(allowExpunge, condstore, qresync, rev2);
    }

    private void requireState(boolean authenticated) throws ImapException {
        if (authenticated && account == null) {
            throw ImapException.bad("Not authenticated");
        }
        if (!authenticated && account != null) {
            throw ImapException.bad("Already authenticated");
        }
    }

    // ---- not authenticated

    private boolean passwordsAllowed() {
        return connection.isTls() || protocol.plaintextWithoutTls;
    }

    String capabilities() {
        StringBuilder caps = new StringBuilder("IMAP4rev1 IMAP4rev2 SASL-IR LITERAL+ LITERAL- ID ENABLE IDLE");
        if (account == null) {
            if (connection.canStartTls()) {
                caps.append(" STARTTLS");
            }
            if (passwordsAllowed()) {
                caps.append(" AUTH=PLAIN AUTH=LOGIN");
            } else {
                caps.append(" LOGINDISABLED");
            }
            return caps.toString();
        }
        caps.append(" NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN SPECIAL-USE CREATE-SPECIAL-USE LIST-EXTENDED"
                + " LIST-STATUS CONDSTORE QRESYNC ESEARCH SEARCHRES SORT SORT=DISPLAY THREAD=REFERENCES"
                + " THREAD=ORDEREDSUBJECT QUOTA QUOTA=RES-STORAGE BINARY STATUS=SIZE UTF8=ACCEPT PREVIEW")
                .append(" APPENDLIMIT=").append(protocol.limits.appendLimit());
        return caps.toString();
    }

    private String startTls(String tag) throws ImapException, IOException {
        if (account != null) {
            throw ImapException.bad("Already authenticated");
        }
        if (connection.isTls()) {
            throw ImapException.bad("TLS is already active");
        }
        if (!connection.canStartTls()) {
            throw ImapException.no("UNAVAILABLE", "TLS is not available");
        }
        out.tagged(tag, "OK Begin TLS negotiation now");
        out.flush();
        connection.startTls();
        out = new Responses(connection.output());
        return REPLIED;
    }

    /** Marks a command whose completion has already been written. */
    static final String REPLIED = "\u0000";

    private String login(Credentials credentials) throws ImapException, IOException {
        if (!passwordsAllowed()) {
            throw ImapException.no("PRIVACYREQUIRED", "Plaintext authentication disallowed on non-secure connections");
        }
        AuthResult result = protocol.authenticator.authenticate(credentials, connection.remote().getAddress(),
                "imap");
        switch (result) {
            case AuthResult.Success s -> {
                try {
                    account = EmailAddress.parse(s.account());
                } catch (AddressException e) {
                    throw ImapException.no("SERVERBUG", "Account name is not usable");
                }
                Path maildir = protocol.layout.maildir(account);
                Folders.ensureMailbox(maildir);
                mailboxes = new Mailboxes(maildir);
                return "OK [CAPABILITY " + capabilities() + "] Logged in";
            }
            case AuthResult.Failure _ -> throw ImapException.no("AUTHENTICATIONFAILED", "Authentication failed.");
            case AuthResult.Blocked _ ->
                    throw ImapException.no("UNAVAILABLE", "Too many failed logins; try again later.");
            case AuthResult.Unavailable _ ->
                    throw ImapException.no("UNAVAILABLE", "Temporary authentication failure; try again later.");
        }
    }

    private String authenticate(ImapCommand.Authenticate c) throws ImapException, IOException {
        if (!passwordsAllowed()) {
            throw ImapException.no("PRIVACYREQUIRED", "Plaintext authentication disallowed on non-secure connections");
        }
        SaslServer sasl;
        try {
            sasl = SaslServer.start(c.mechanism());
        } catch (SaslException e) {
            throw ImapException.no("CANNOT", "Unsupported authentication mechanism");
        }
        try {
            Optional<byte[]> challenge;
            if (c.initialResponse().isPresent()) {
                challenge = sasl.respond(Base64.getDecoder().decode(c.initialResponse().get()));
            } else {
                challenge = Optional.of(sasl.initialChallenge());
            }
            while (challenge.isPresent()) {
                out.continuation(Base64.getEncoder().encodeToString(challenge.get()));
                out.flush();
                Line line = connection.input().readLine(16 * 1024);
                String text = line.text().strip();
                if (text.equals("*")) {
                    throw ImapException.bad("Authentication canceled");
                }
                byte[] response;
                try {
                    response = Base64.getMimeDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    throw ImapException.bad("Invalid base64 in SASL response");
                }
                challenge = sasl.respond(response);
            }
        } catch (SaslException | IllegalArgumentException e) {
            throw ImapException.bad("Invalid SASL response");
        }
        return login(sasl.credentials().orElseThrow());
    }

    // ---- authenticated

    private String enable(ImapCommand.Enable c) throws IOException {
        List<String> enabled = new ArrayList<>();
        for (String capability : c.capabilities()) {
            switch (capability) {
                case "CONDSTORE" -> {
                    if (!condstore) {
                        condstore = true;
                        enabled.add(capability);
                    }
                }
                case "QRESYNC" -> {
                    if (!qresync) {
                        qresync = true;
                        condstore = true;
                        enabled.add(capability);
                    }
                }
                case "UTF8=ACCEPT" -> {
                    if (!utf8) {
                        utf8 = true;
                        reader.setUtf8MailboxNames(true);
                        enabled.add(capability);
                    }
                }
                case "IMAP4REV2" -> {
                    if (!rev2) {
                        rev2 = true;
                        reader.setUtf8MailboxNames(true);
                        enabled.add("IMAP4rev2");
                    }
                }
                default -> {
                    // RFC 5161 §3.1: unknown extensions are ignored
                }
            }
        }
        out.untagged("ENABLED" + (enabled.isEmpty() ? "" : " " + String.join(" ", enabled)));
        return ok("ENABLE completed");
    }

    private String select(ImapCommand.Select c) throws ImapException, IOException {
        if (c.qresync().isPresent() && !qresync) {
            throw ImapException.bad("QRESYNC is not enabled");
        }
        boolean hadSelected = selected != null;
        unselect();
        if (hadSelected && (qresync || rev2)) {
            out.untagged("OK [CLOSED] Previous mailbox closed");
        }
        if (c.condstore()) {
            condstore = true;
        }
        Path dir = mailboxes.existing(c.mailbox(), false);
        SelectedFolder folder = SelectedFolder.open(c.mailbox(), dir, c.readOnly(), protocol.indexes);
        selected = folder;
        FolderSnapshot state = folder.index().snapshot();
        out.untagged("FLAGS " + Flags.folderFlags(state.keywords()));
        out.untagged("OK [PERMANENTFLAGS " + (c.readOnly() ? "()"
                : Flags.folderFlags(state.keywords()).replace(")", state.keywords().isFull() ? ")" : " \\*)"))
                + "] Flags permitted");
        out.untagged(folder.size() + " EXISTS");
        if (!rev2) {
            out.untagged(folder.recentCount() + " RECENT");
            for (int p = 0; p < folder.size(); p++) {
                if (!folder.at(p).has(MaildirFlags.SEEN)) {
                    out.untagged("OK [UNSEEN " + (p + 1) + "] First unseen");
                    break;
                }
            }
        }
        out.untagged("OK [UIDVALIDITY " + folder.uidValidity() + "] UIDs valid");
        out.untagged("OK [UIDNEXT " + folder.uidNext() + "] Predicted next UID");
        out.untagged("OK [HIGHESTMODSEQ " + folder.viewModSeq() + "] Highest");
        if (rev2) {
            out.untagged("LIST () \".\" " + Names.encode(c.mailbox(), true));
        }
        if (c.qresync().isPresent()) {
            new Qresync(this).select(c.qresync().get());
        }
        return "OK [" + (c.readOnly() ? "READ-ONLY" : "READ-WRITE") + "] " + c.name() + " completed";
    }

    void unselect() {
        if (selected != null) {
            selected.close();
            selected = null;
        }
    }

    // ---- literals (LiteralHandler)

    @Override
    public void sendContinuation() throws IOException {
        out.continuation("Ready for literal data");
        out.flush();
    }

    @Override
    public void admitMessage(String mailbox, long size, boolean binary) {
        if (account == null) {
            throw ImapParseException.no(null, "Not authenticated");
        }
        try {
            mailboxes.existing(mailbox, true);
            new Quota(this).checkRoom(size, 1);
        } catch (ImapException e) {
            throw ImapParseException.no(e.code(), e.getMessage());
        } catch (IOException e) {
            throw ImapParseException.no("SERVERBUG", "Internal error checking the quota");
        }
    }

    @Override
    public MessageData receiveMessage(InputStream body, long size) throws IOException {
        return MessageData.receive(body, size, protocol.tempDir, APPEND_MEMORY_THRESHOLD);
    }
}

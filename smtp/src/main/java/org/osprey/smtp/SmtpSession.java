package org.osprey.smtp;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osprey.core.address.AddressException;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.net.Connection;
import org.osprey.core.net.Line;
import org.osprey.core.sasl.AuthResult;
import org.osprey.core.sasl.Credentials;
import org.osprey.core.sasl.SaslException;
import org.osprey.core.sasl.SaslServer;
import org.osprey.delivery.Envelope;
import org.osprey.delivery.HeaderFields;
import org.osprey.delivery.QueueId;
import org.osprey.delivery.RecipientCheck;
import org.osprey.delivery.Spool;
import org.osprey.filter.Findings;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP session (RFC 5321), read top to bottom like the dialogue: greet, then read a command, act, reply, until
 * QUIT. Per-connection state lives here; per-message state in {@link Transaction}. Replies are buffered while the
 * client has pipelined more commands (RFC 2920) and flushed when it waits.
 */
final class SmtpSession {
    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    private final SmtpProtocol protocol;
    private final Connection connection;
    private final String client;
    private String helo;
    private boolean extended;
    private Transaction transaction;
    private int errors;
    private boolean closing;
    /** The logged-in account (submission), or null. */
    private String authenticated;

    SmtpSession(SmtpProtocol protocol, Connection connection) {
        this.protocol = protocol;
        this.connection = connection;
        this.client = connection.remote().getAddress().getHostAddress();
    }

    void run() throws IOException {
        try {
            dialogue();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // a reply could not be written: the client is gone
        }
    }

    private void dialogue() throws IOException {
        Verdict onConnect = protocol.checks.connect(facts());
        if (onConnect instanceof Verdict.Reject r) {
            reply(new SmtpReply(554, r.enhancedCode(), r.text()));
            connection.flush();
            return;
        }
        log.info("connect from {}", describeClient());
        send("220 " + protocol.hostname + " ESMTP Osprey\r\n");
        connection.flush();
        try {
            while (!closing) {
                Line line = connection.readLine();
                try {
                    handle(line);
                } catch (SmtpReply r) {
                    reply(r);
                }
                if (errors + connection.framingErrors() >= protocol.limits.maxErrors() && !closing) {
                    log.info("too many errors from {}", describeClient());
                    send(protocol.tooManyErrorsReply());
                    closing = true;
                }
                if (closing || !connection.hasBufferedInput()) {
                    connection.flush();
                }
                if (connection.shutdownRequested() && transaction == null && !closing) {
                    send(protocol.shutdownReply());
                    connection.flush();
                    closing = true;
                }
            }
        } finally {
            if (transaction != null) {
                transaction.discard();
            }
            log.info("disconnect from {}", describeClient());
        }
    }

    private void handle(Line line) throws IOException {
        if (!line.crlf() || line.hasBareCr()) {
            // Commands end in CRLF only: accepting other endings is how SMTP smuggling starts.
            throw new SmtpReply(500, "5.5.2", "Error: command lines must end with CRLF");
        }
        SmtpCommand command = CommandParser.parse(line.text());
        // chunkSink, not chunked: a refused chunk drops the spool file, but the transaction is still a BDAT one
        // (RFC 3030 §3: DATA after BDAT MUST get 503)
        if (transaction != null && transaction.chunkSink != null && !(command instanceof SmtpCommand.Bdat)
                && !(command instanceof SmtpCommand.Rset) && !(command instanceof SmtpCommand.Quit)
                && !(command instanceof SmtpCommand.Noop)) {
            throw new SmtpReply(503, "5.5.1", "Error: BDAT in progress, only BDAT, RSET, NOOP or QUIT");
        }
        switch (command) {
            case SmtpCommand.Helo h -> helo(h);
            case SmtpCommand.Mail m -> mail(m);
            case SmtpCommand.Rcpt r -> rcpt(r);
            case SmtpCommand.Data d -> data();
            case SmtpCommand.Bdat b -> bdat(b);
            case SmtpCommand.Rset r -> {
                resetTransaction();
                reply(new SmtpReply(250, "2.0.0", "Ok"));
            }
            case SmtpCommand.Noop n -> reply(new SmtpReply(250, "2.0.0", "Ok"));
            case SmtpCommand.Quit q -> {
                reply(new SmtpReply(221, "2.0.0", "Bye"));
                closing = true;
            }
            case SmtpCommand.Help h -> reply(new SmtpReply(214, "2.0.0",
                    "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP VRFY STARTTLS; see RFC 5321"));
            case SmtpCommand.Vrfy v -> reply(new SmtpReply(252, "2.0.0",
                    "Cannot VRFY user, but will accept message and attempt delivery"));
            case SmtpCommand.StartTls s -> startTls();
            case SmtpCommand.Auth a -> auth(a);
        }
    }

    private void helo(SmtpCommand.Helo command) {
        resetTransaction();
        helo = command.domain();
        extended = command.extended();
        Verdict verdict = protocol.checks.helo(facts());
        refuseIfNeeded(verdict);
        if (!extended) {
            send("250 " + protocol.hostname + "\r\n");
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(protocol.hostname);
        lines.add("PIPELINING");
        lines.add("SIZE " + protocol.limits.maxMessageSize());
        if (connection.canStartTls()) {
            lines.add("STARTTLS");
        }
        if (protocol.submission != null && authenticated == null
                && protocol.submission.authAllowed(connection.isTls())) {
            lines.add("AUTH " + String.join(" ", SaslServer.MECHANISMS));
        }
        lines.add("ENHANCEDSTATUSCODES");
        lines.add("8BITMIME");
        lines.add("SMTPUTF8");
        lines.add("CHUNKING");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append("250").append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i)).append("\r\n");
        }
        send(sb.toString());
    }

    private void mail(SmtpCommand.Mail command) {
        if (helo == null) {
            throw new SmtpReply(503, "5.5.1", "Error: send HELO/EHLO first");
        }
        if (transaction != null) {
            throw new SmtpReply(503, "5.5.1", "Error: nested MAIL command");
        }
        if (protocol.submission != null && authenticated == null) {
            throw reject(530, "5.7.0", "Authentication required", null);
        }
        long size = 0;
        boolean smtpUtf8 = false;
        String body = "7BIT";
        for (Map.Entry<String, String> p : command.parameters().entrySet()) {
            String value = p.getValue();
            switch (p.getKey()) {
                case "SIZE" -> size = parseSize(value);
                case "BODY" -> {
                    if (value == null || !(value.equalsIgnoreCase("7BIT") || value.equalsIgnoreCase("8BITMIME"))) {
                        throw new SmtpReply(501, "5.5.4", "Error: BODY must be 7BIT or 8BITMIME");
                    }
                    body = value.toUpperCase(java.util.Locale.ROOT);
                }
                case "SMTPUTF8" -> {
                    if (value != null) {
                        throw new SmtpReply(501, "5.5.4", "Error: SMTPUTF8 takes no value");
                    }
                    smtpUtf8 = true;
                }
                case "AUTH" -> {
                    // RFC 4954 §5: accepted, and ignored from an unauthenticated client
                }
                default -> throw new SmtpReply(555, "5.5.4", "Error: unsupported MAIL parameter");
            }
        }
        if (!extended && !command.parameters().isEmpty()) {
            throw new SmtpReply(555, "5.5.4", "Error: parameters need EHLO");
        }
        if (size > protocol.limits.maxMessageSize()) {
            throw new SmtpReply(552, "5.3.4", "Error: message size exceeds fixed limit");
        }
        String sender = command.sender();
        if (!sender.isEmpty()) {
            EmailAddress address = parseAddress(sender, "5.1.7", "sender");
            if (address.needsSmtpUtf8() && !smtpUtf8) {
                throw new SmtpReply(553, "5.6.7", "Error: non-ASCII sender address needs SMTPUTF8");
            }
            sender = address.toString();
        }
        if (authenticated != null) {
            Optional<String> refusal = protocol.submission.senderRefusal(authenticated, sender);
            if (refusal.isPresent()) {
                throw reject(553, "5.7.1", refusal.get(), null);
            }
        }
        refuseIfNeeded(protocol.checks.mail(facts(), sender));
        transaction = new Transaction(sender, size, smtpUtf8, body);
        reply(new SmtpReply(250, "2.1.0", "Ok"));
    }

    private void rcpt(SmtpCommand.Rcpt command) {
        if (transaction == null) {
            throw new SmtpReply(503, "5.5.1", "Error: need MAIL command");
        }
        if (!command.parameters().isEmpty()) {
            throw new SmtpReply(555, "5.5.4", "Error: unsupported RCPT parameter");
        }
        if (transaction.recipients.size() >= protocol.limits.maxRecipients()) {
            throw reject(452, "4.5.3", "Error: too many recipients", command.recipient());
        }
        String raw = command.recipient();
        if (raw.equalsIgnoreCase("postmaster")) {
            // RFC 5321 §4.5.1: <postmaster> without a domain must be accepted.
            raw = postmasterAddress();
        }
        EmailAddress recipient = parseAddress(raw, "5.1.3", "recipient");
        if (recipient.needsSmtpUtf8() && !transaction.smtpUtf8) {
            throw reject(553, "5.6.7", "Error: non-ASCII recipient address needs SMTPUTF8", raw);
        }
        RecipientCheck check = protocol.recipients.check(recipient, authenticated != null, transaction.declaredSize);
        switch (check) {
            case RecipientCheck.Accepted a -> {
                refuseIfNeeded(protocol.checks.rcpt(facts(), transaction.sender, recipient.toString()));
                transaction.addRecipient(recipient.toString(), a.targets());
                reply(new SmtpReply(250, "2.1.5", "Ok"));
            }
            case RecipientCheck.Unknown u -> throw reject(550, "5.1.1",
                    "<" + recipient + ">: Recipient address rejected: User unknown", raw);
            case RecipientCheck.RelayDenied r -> throw reject(554, "5.7.1",
                    "<" + recipient + ">: Relay access denied", raw);
            case RecipientCheck.OverQuota o -> throw reject(452, "4.2.2",
                    "<" + recipient + ">: Mailbox full", raw);
            case RecipientCheck.Unavailable u -> {
                log.warn("recipient check failed: {}", u.reason());
                throw reject(451, "4.3.0", "<" + recipient + ">: Temporary lookup failure", raw);
            }
        }
    }

    /**
     * Where {@code <postmaster>} goes: postmaster at our hostname, or, as the hostname (mx.example.org) is seldom a
     * mail domain itself, at the nearest parent domain of it that is ours (example.org).
     */
    private String postmasterAddress() {
        String domain = protocol.hostname;
        while (true) {
            try {
                EmailAddress candidate = EmailAddress.parse("postmaster@" + domain);
                if (!(protocol.recipients.check(candidate, false, 0) instanceof RecipientCheck.RelayDenied)) {
                    return candidate.toString();
                }
            } catch (AddressException e) {
                break;
            }
            int dot = domain.indexOf('.');
            if (dot < 0 || domain.indexOf('.', dot + 1) < 0) {
                break; // never a top-level domain
            }
            domain = domain.substring(dot + 1);
        }
        return "postmaster@" + protocol.hostname;
    }

    private void data() throws IOException {
        requireRecipients();
        String id = QueueId.next();
        try (Spool.Incoming incoming = protocol.spool.create(id)) {
            MessageSink sink = startMessage(incoming);
            send("354 End data with <CR><LF>.<CR><LF>\r\n");
            connection.flush();
            connection.setIdleTimeout(protocol.limits.dataTimeout());
            DataReader.Result result = DataReader.read(connection.input(), sink);
            connection.setIdleTimeout(protocol.limits.commandTimeout());
            if (result == DataReader.Result.BARE_LINE_ENDING) {
                log.warn("{}: reject: bare <LF> or <CR> in DATA from {}; disconnecting", id, describeClient());
                send("521 5.5.2 " + protocol.hostname + " Error: bare <LF> or <CR> received\r\n");
                closing = true;
                resetTransaction();
                return;
            }
            finishMessage(incoming, sink);
        }
    }

    private void bdat(SmtpCommand.Bdat command) throws IOException {
        Transaction t = transaction;
        SmtpReply refusal = t == null ? new SmtpReply(503, "5.5.1", "Error: need MAIL command")
                : t.recipients.isEmpty() ? new SmtpReply(554, "5.5.1", "Error: no valid recipients")
                : t.chunkError;
        if (refusal != null) {
            // The chunk is read in any case: its bytes are data, never commands.
            skip(command.size());
            if (command.last()) {
                resetTransaction();
            }
            throw refusal;
        }
        if (t.chunked == null) {
            t.chunked = protocol.spool.create(QueueId.next());
            t.chunkSink = startMessage(t.chunked);
        }
        connection.setIdleTimeout(protocol.limits.dataTimeout());
        copyChunk(command.size(), t.chunkSink);
        connection.setIdleTimeout(protocol.limits.commandTimeout());
        if (!command.last()) {
            if (t.chunkSink.tooBig()) {
                t.chunkError = new SmtpReply(552, "5.3.4", "Error: message size exceeds fixed limit");
                t.discard();
                throw t.chunkError;
            }
            reply(new SmtpReply(250, "2.0.0", "Ok: " + command.size() + " octets received"));
            return;
        }
        try (Spool.Incoming incoming = t.chunked) {
            finishMessage(incoming, t.chunkSink);
        }
    }

    /** Opens the message with Osprey's Received header, written through the sink so it counts like any other. */
    private MessageSink startMessage(Spool.Incoming incoming) throws IOException {
        byte[] received = receivedHeader(incoming.id()).getBytes(StandardCharsets.UTF_8);
        var sink = new MessageSink(incoming.body(), protocol.limits.maxMessageSize() + received.length);
        sink.write(received, 0, received.length);
        return sink;
    }

    /** The end of DATA or BDAT LAST: loop and size checks, content checks, commit, 250. */
    private void finishMessage(Spool.Incoming incoming, MessageSink sink) throws IOException {
        try {
            finish(transaction, incoming, sink);
        } finally {
            transaction = null;
        }
    }

    private void finish(Transaction t, Spool.Incoming incoming, MessageSink sink) throws IOException {
        String id = incoming.id();
        if (sink.tooBig()) {
            incoming.abort();
            throw reject(552, "5.3.4", "Error: message size exceeds fixed limit", null);
        }
        if (sink.receivedHeaders() > protocol.limits.maxReceivedHeaders()) {
            incoming.abort();
            throw reject(554, "5.4.6", "Error: too many Received headers - mail loop?", null);
        }
        List<String> submitted = authenticated == null ? List.of() : submissionHeaders(t, id, incoming);
        Verdict verdict = protocol.checks.data(facts(), t.sender, List.copyOf(t.recipients), incoming::readBack,
                new Findings());
        List<String> headers = switch (verdict) {
            case Verdict.Accept a -> concat(submitted, a.headers());
            case Verdict.Reject r -> {
                incoming.abort();
                throw reject(r.code(), r.enhancedCode(), r.text(), null);
            }
            case Verdict.TempFail f -> {
                incoming.abort();
                throw reject(f.code(), f.enhancedCode(), f.text(), null);
            }
        };
        long size = sink.size();
        var envelope = new Envelope(id, System.currentTimeMillis(), t.sender, List.copyOf(t.recipients),
                List.copyOf(t.targets.values()), client, helo, ReceivedHeader.protocol(extended, t.smtpUtf8,
                connection.isTls(), authenticated != null), t.smtpUtf8, t.body, headers, size,
                verdict instanceof Verdict.Accept a ? a.removedFields() : Set.of());
        try {
            incoming.commit(envelope);
        } catch (IOException e) {
            log.error("{}: cannot write queue file: {}", id, e.getMessage());
            throw new SmtpReply(451, "4.3.0", "Error: queue file write error");
        }
        log.info("{}: client={}{}, from=<{}>, size={}, nrcpt={} (queue active)", id, describeClient(),
                authenticated == null ? "" : ", sasl_username=" + authenticated, t.sender, size,
                t.recipients.size());
        protocol.delivery.submit(envelope);
        reply(new SmtpReply(250, "2.0.0", "Ok: queued as " + id));
    }

    private String receivedHeader(String id) {
        Transaction t = transaction;
        Optional<String> single = t.recipients.size() == 1 ? Optional.of(t.recipients.getFirst()) : Optional.empty();
        if (authenticated != null && !protocol.submission.config.receivedClientAddress()) {
            return ReceivedHeader.buildHidingClient(connection.tls(), t.smtpUtf8, protocol.hostname, id, single,
                    ZonedDateTime.now());
        }
        return ReceivedHeader.build(helo, connection.remote().getAddress(), connection.tls(), authenticated != null,
                extended, t.smtpUtf8, protocol.hostname, id, single, ZonedDateTime.now());
    }

    /**
     * Submission clean-up (RFC 6409 §8): the From: addresses must be the user's own; Date and Message-ID are added
     * when missing, a From: too (from the envelope). Then the DKIM signature over the message as it will be sent.
     */
    private List<String> submissionHeaders(Transaction t, String id, Spool.Incoming incoming) throws IOException {
        SubmittedHeader header;
        try (InputStream in = new BufferedInputStream(incoming.readBack())) {
            header = SubmittedHeader.read(in);
        }
        List<String> added = new ArrayList<>();
        String fromDomain;
        Optional<String> from = header.from();
        if (from.isPresent()) {
            List<String> addresses = SubmittedHeader.addresses(from.get());
            if (addresses == null || addresses.isEmpty()) {
                incoming.abort();
                throw reject(550, "5.6.0", "Error: the From: header cannot be parsed", null);
            }
            for (String address : addresses) {
                Optional<String> refusal = protocol.submission.senderRefusal(authenticated, address);
                if (refusal.isPresent()) {
                    incoming.abort();
                    throw reject(553, "5.7.1", refusal.get().replace("Sender address", "From: address"), null);
                }
            }
            fromDomain = domainOf(addresses.getFirst());
        } else {
            String address = t.sender.isEmpty() ? authenticated : t.sender;
            added.add("From: <" + address + ">");
            fromDomain = domainOf(address);
        }
        if (!header.has("date")) {
            added.add("Date: " + ReceivedHeader.date(ZonedDateTime.now()));
        }
        if (!header.has("message-id")) {
            added.add("Message-ID: <" + id + "." + Long.toString(MESSAGE_IDS.nextLong() & Long.MAX_VALUE, 36)
                    + "@" + protocol.hostname + ">");
        }
        List<String> signature;
        try (InputStream in = HeaderFields.prepend(added, new BufferedInputStream(incoming.readBack()))) {
            signature = protocol.submission.signer.sign(fromDomain, in);
        }
        return concat(signature, added);
    }

    private static final java.security.SecureRandom MESSAGE_IDS = new java.security.SecureRandom();

    private static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        if (a.isEmpty()) {
            return b;
        }
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** AUTH (RFC 4954) on the submission ports: PLAIN and LOGIN, only over TLS, once per session. */
    private void auth(SmtpCommand.Auth command) throws IOException {
        Submission submission = protocol.submission;
        if (submission == null) {
            throw new SmtpReply(503, "5.5.1", "Error: authentication not enabled");
        }
        if (helo == null || !extended) {
            throw new SmtpReply(503, "5.5.1", "Error: send EHLO first");
        }
        if (authenticated != null) {
            throw new SmtpReply(503, "5.5.1", "Error: already authenticated");
        }
        if (transaction != null) {
            throw new SmtpReply(503, "5.5.1", "Error: MAIL transaction in progress");
        }
        if (!submission.authAllowed(connection.isTls())) {
            throw new SmtpReply(538, "5.7.11", "Encryption required for requested authentication mechanism");
        }
        SaslServer sasl;
        try {
            sasl = SaslServer.start(command.mechanism());
        } catch (SaslException e) {
            throw new SmtpReply(504, "5.5.4", "Unrecognized authentication type");
        }
        Credentials credentials;
        try {
            Optional<byte[]> challenge = command.initialResponse() != null
                    ? sasl.respond(decode(command.initialResponse().equals("=") ? "" : command.initialResponse()))
                    : Optional.of(sasl.initialChallenge());
            while (challenge.isPresent()) {
                send("334 " + Base64.getEncoder().encodeToString(challenge.get()) + "\r\n");
                connection.flush();
                String response = connection.readLine().text().strip();
                if (response.equals("*")) {
                    throw new SmtpReply(501, "5.7.0", "Authentication aborted");
                }
                challenge = sasl.respond(decode(response));
            }
            credentials = sasl.credentials().orElseThrow();
        } catch (SaslException e) {
            throw new SmtpReply(535, "5.7.8", "Error: authentication failed: invalid SASL response");
        }
        switch (submission.authenticator.authenticate(credentials, connection.remote().getAddress(), "smtp")) {
            case AuthResult.Success success -> {
                authenticated = success.account();
                reply(new SmtpReply(235, "2.7.0", "Authentication successful"));
            }
            case AuthResult.Failure f -> throw new SmtpReply(535, "5.7.8", "Error: authentication failed");
            case AuthResult.Blocked b -> throw new SmtpReply(454, "4.7.0",
                    "Too many failed logins; try again later");
            case AuthResult.Unavailable u -> throw new SmtpReply(454, "4.7.0",
                    "Temporary authentication failure; try again later");
        }
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new SmtpReply(501, "5.5.2", "Error: invalid base64 data");
        }
    }

    private void copyChunk(long size, MessageSink sink) throws IOException {
        byte[] buffer = new byte[8 * 1024];
        long remaining = size;
        while (remaining > 0) {
            int n = connection.input().read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new java.io.EOFException("connection closed inside a BDAT chunk");
            }
            sink.write(buffer, 0, n);
            remaining -= n;
        }
    }

    private void skip(long size) throws IOException {
        copyChunk(size, new MessageSink(OutputStream.nullOutputStream(), 0));
    }

    private void startTls() throws IOException {
        if (connection.isTls()) {
            throw new SmtpReply(503, "5.5.1", "Error: TLS already active");
        }
        if (!connection.canStartTls()) {
            throw new SmtpReply(454, "4.7.0", "TLS not available");
        }
        send("220 2.0.0 Ready to start TLS\r\n");
        connection.flush();
        connection.startTls();
        // RFC 3207 §4.2: forget everything learned before TLS; the client must EHLO again.
        resetTransaction();
        helo = null;
        extended = false;
        log.info("STARTTLS from {}: {} {}", describeClient(), connection.tls().orElseThrow().protocol(),
                connection.tls().orElseThrow().cipherSuite());
    }

    private void requireRecipients() {
        if (transaction == null) {
            throw new SmtpReply(503, "5.5.1", "Error: need MAIL command");
        }
        if (transaction.recipients.isEmpty()) {
            throw new SmtpReply(554, "5.5.1", "Error: no valid recipients");
        }
    }

    private void refuseIfNeeded(Verdict verdict) {
        switch (verdict) {
            case Verdict.Reject r -> throw reject(r.code(), r.enhancedCode(), r.text(), null);
            case Verdict.TempFail f -> throw reject(f.code(), f.enhancedCode(), f.text(), null);
            case Verdict.Accept a -> {
            }
        }
    }

    /** A refusal, logged as Postfix logs it ("NOQUEUE: reject: RCPT from ..."), for pflogsumm-minded admins. */
    private SmtpReply reject(int code, String enhanced, String text, String recipient) {
        SmtpReply reply = new SmtpReply(code, enhanced, text);
        log.info("NOQUEUE: reject: from {}: {} {} {}; from=<{}>{} proto={} helo=<{}>", describeClient(), code,
                enhanced, text, transaction == null ? "" : transaction.sender,
                recipient == null ? "" : " to=<" + ReceivedHeader.clean(recipient) + ">",
                extended ? "ESMTP" : "SMTP", helo == null ? "" : ReceivedHeader.clean(helo));
        return reply;
    }

    private EmailAddress parseAddress(String text, String enhanced, String role) {
        try {
            return EmailAddress.parse(text);
        } catch (AddressException e) {
            throw new SmtpReply(501, enhanced, "Bad " + role + " address syntax");
        }
    }

    private long parseSize(String value) {
        try {
            long size = Long.parseLong(value);
            if (size < 0) {
                throw new NumberFormatException();
            }
            return size;
        } catch (NumberFormatException | NullPointerException e) {
            throw new SmtpReply(501, "5.5.4", "Error: bad SIZE value");
        }
    }

    private void resetTransaction() {
        if (transaction != null) {
            transaction.discard();
            transaction = null;
        }
    }

    private void reply(SmtpReply reply) {
        if (reply.isError()) {
            errors++;
        }
        send(reply.wire());
    }

    private void send(String text) {
        try {
            connection.write(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private SmtpFacts facts() {
        return new SmtpFacts(connection.remote().getAddress(), Optional.ofNullable(helo), connection.isTls(),
                Optional.ofNullable(authenticated));
    }

    private String describeClient() {
        return (helo == null ? "unknown" : ReceivedHeader.clean(helo)) + "[" + client + "]";
    }
}

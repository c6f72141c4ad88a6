package org.osprey.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osprey.core.address.AddressException;
import org.osprey.core.address.EmailAddress;
import org.osprey.directory.Directory;
import org.osprey.directory.DirectoryUnavailableException;
import org.osprey.directory.Mailbox;
import org.osprey.delivery.bounce.OriginalHeader;
import org.osprey.sieve.Action;
import org.osprey.sieve.DuplicateMark;
import org.osprey.sieve.HeaderEdit;
import org.osprey.sieve.HeaderEditor;
import org.osprey.sieve.SieveResult;
import org.osprey.store.Folders;
import org.osprey.store.MailStore;
import org.osprey.store.NoSuchFolderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a queued message into one local mailbox: Return-Path and Delivered-To are added (as Postfix's virtual and
 * Dovecot's LMTP do), the Sieve scripts decide where it goes (folders, flags, redirects, a vacation reply, a
 * rejection), and the store writes each copy durably. Whatever goes wrong in the rules, the message is kept in
 * INBOX: a Sieve error never loses mail.
 */
public final class LocalDelivery {
    private static final Logger log = LoggerFactory.getLogger(LocalDelivery.class);

    private final Directory directory;
    private final MailStore store;
    private final Sieve sieve;

    /** What running Sieve at delivery needs; null: no Sieve (tests of the plain path). */
    public record Sieve(SieveFilter filter, Outbox outbox, Srs srs, DuplicateLog duplicates, Clock clock) {
    }

    public LocalDelivery(Directory directory, MailStore store) {
        this(directory, store, null);
    }

    public LocalDelivery(Directory directory, MailStore store, Sieve sieve) {
        this.directory = directory;
        this.store = store;
        this.sieve = sieve;
    }

    public DeliveryResult deliver(Envelope envelope, Target target, MessageSource message) {
        EmailAddress address;
        try {
            address = EmailAddress.parse(target.address());
        } catch (AddressException e) {
            return new DeliveryResult.Failed("5.1.3 bad mailbox address: " + e.getMessage());
        }
        Optional<Mailbox> mailbox;
        try {
            mailbox = directory.mailbox(address);
        } catch (DirectoryUnavailableException e) {
            return new DeliveryResult.Deferred("4.3.0 directory unavailable: " + e.getMessage());
        }
        if (mailbox.isEmpty()) {
            return new DeliveryResult.Failed("5.1.1 mailbox " + address + " no longer exists");
        }
        Mailbox box = mailbox.get();
        List<String> headers = new ArrayList<>();
        headers.add("Return-Path: <" + envelope.sender() + ">");
        headers.add("Delivered-To: " + box.address());
        headers.addAll(envelope.headers());
        try {
            Optional<SieveResult> result = Optional.empty();
            if (sieve != null) {
                Path home = store.layout().home(box.address());
                try {
                    result = sieve.filter().evaluate(envelope, target, box.address(), home,
                            () -> HeaderFields.prepend(headers, message.open()));
                } catch (RuntimeException e) {
                    // the interpreter promises never to throw; if it does anyway, the mail still arrives
                    log.error("{}: Sieve for {} failed unexpectedly, keeping the message in INBOX", envelope.id(),
                            box.address(), e);
                }
            }
            if (result.isEmpty()) {
                store(box, Folders.INBOX, Set.of(), false, headers, List.of(), message);
                return new DeliveryResult.Delivered("delivered to maildir");
            }
            return apply(result.get(), envelope, box, headers, message);
        } catch (IOException e) {
            return new DeliveryResult.Deferred("4.3.0 cannot write to the mailbox: " + e.getMessage());
        }
    }

    /**
     * Carries out what the scripts decided. Copies into folders come first (a failure there defers the whole
     * delivery, so a retry cannot send redirects and replies twice); then what goes out.
     */
    private DeliveryResult apply(SieveResult result, Envelope envelope, Mailbox box, List<String> headers,
                                 MessageSource message) throws IOException {
        EmailAddress user = box.address();
        if (result.failed()) {
            log.warn("{}: Sieve for {} failed, keeping the message in INBOX: {}", envelope.id(), user,
                    String.join("; ", result.errors()));
            store(box, Folders.INBOX, Set.of(), false, headers, List.of(), message);
            return new DeliveryResult.Delivered("delivered to maildir (Sieve failed: kept in INBOX)");
        }
        List<String> done = new ArrayList<>();
        Set<String> storedIn = new HashSet<>();
        List<Action> actions = result.actions();
        for (int i = 0; i < actions.size(); i++) {
            List<HeaderEdit> edits = result.editsFor(i);
            switch (actions.get(i)) {
                case Action.Keep keep -> {
                    store(box, Folders.INBOX, keep.flags(), false, headers, edits, message);
                    storedIn.add(Folders.INBOX);
                    done.add("keep");
                }
                case Action.FileInto file -> {
                    String folder = folderName(file.folder());
                    if (storedIn.add(folder.equalsIgnoreCase(Folders.INBOX) ? Folders.INBOX : folder)) {
                        String where = store(box, folder, file.flags(), file.create(), headers, edits, message);
                        if (where.equals(Folders.INBOX)) {
                            storedIn.add(Folders.INBOX);
                        }
                        done.add("fileinto " + where);
                    }
                }
                case Action.Discard d -> done.add("discard");
                default -> {
                    // sent after every copy is stored
                }
            }
        }
        if (result.implicitKeep() && storedIn.add(Folders.INBOX)) {
            store(box, Folders.INBOX, Set.of(), false, headers, result.headerEdits(), message);
            done.add("keep");
        }
        for (int i = 0; i < actions.size(); i++) {
            List<HeaderEdit> edits = result.editsFor(i);
            switch (actions.get(i)) {
                case Action.Redirect redirect -> done.add(redirect(envelope, user, redirect, headers, edits,
                        message));
                case Action.Reject reject -> done.add(reject(envelope, user, reject.reason(), headers, message));
                case Action.Ereject reject -> done.add(reject(envelope, user, reject.reason(), headers, message));
                case Action.Vacation vacation -> done.add(vacation(envelope, user, vacation, headers, message));
                default -> {
                }
            }
        }
        Path home = store.layout().home(user);
        for (DuplicateMark mark : result.duplicateMarks()) {
            sieve.duplicates().checkAndRecord(home, SieveFilter.duplicateKey(mark.handle(), mark.id()),
                    mark.period());
        }
        result.notes().forEach(note -> log.info("{}: sieve for {}: {}", envelope.id(), user, note));
        return new DeliveryResult.Delivered("delivered to maildir, sieve: " + String.join(", ", done));
    }

    /** Stores one copy; a missing folder (fileinto without :create) falls back to INBOX. Returns the folder. */
    private String store(Mailbox box, String folder, Set<String> flags, boolean create, List<String> headers,
                         List<HeaderEdit> edits, MessageSource message) throws IOException {
        try (InputStream in = edited(message, edits)) {
            try {
                store.deliver(box.address(), folder, headers, in, box.quotaBytes(), flags, create);
                return folder;
            } catch (NoSuchFolderException | IllegalArgumentException e) {
                log.warn("sieve for {}: cannot file into \"{}\" ({}); keeping the message in INBOX", box.address(),
                        folder, e.getMessage());
            }
        }
        try (InputStream in = edited(message, edits)) {
            store.deliver(box.address(), Folders.INBOX, headers, in, box.quotaBytes());
        }
        return Folders.INBOX;
    }

    /** IMAP names as users write them: "Lists/osprey" and "INBOX.Lists" both mean the Maildir++ folder. */
    static String folderName(String name) {
        String folder = name.replace('/', '.');
        if (folder.regionMatches(true, 0, "INBOX.", 0, 6)) {
            folder = folder.substring(6);
        }
        return folder.isEmpty() ? Folders.INBOX : folder;
    }

    private static InputStream edited(MessageSource message, List<HeaderEdit> edits) throws IOException {
        InputStream in = message.open();
        return edits.isEmpty() ? in : HeaderEditor.apply(in, edits);
    }

    private String redirect(Envelope envelope, EmailAddress user, Action.Redirect redirect, List<String> headers,
                            List<HeaderEdit> edits, MessageSource message) throws IOException {
        Path home = store.layout().home(user);
        String messageId = header(headers, message).getOrDefault("message-id", envelope.id());
        // loop protection, as Pigeonhole's: one message goes to one redirect target once a day
        if (sieve.duplicates().checkAndRecord(home, "redirect\u0000" + messageId + "\u0000"
                + redirect.address().toLowerCase(java.util.Locale.ROOT), java.time.Duration.ofDays(1))) {
            return "redirect to <" + redirect.address() + "> skipped (already sent)";
        }
        String sender = envelope.sender().isEmpty() ? "" : sieve.srs().forward(envelope.sender(), user.domain());
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.write(SieveMail.redirectReceived(user.toString(), sieve.outbox().hostname(), envelope.id(),
                ZonedDateTime.now(sieve.clock())).getBytes(StandardCharsets.US_ASCII));
        try (InputStream in = edited(() -> HeaderFields.prepend(envelope.headers(), message.open()), edits)) {
            in.transferTo(copy);
        }
        String id = sieve.outbox().queue(sender, redirect.address(), copy.toByteArray(), envelope.smtpUtf8(),
                !"7BIT".equals(envelope.body()), "sieve-redirect");
        return "redirect to <" + redirect.address() + ">" + (id == null ? " (not sent)" : " as " + id);
    }

    private String reject(Envelope envelope, EmailAddress user, String reason, List<String> headers,
                          MessageSource message) throws IOException {
        if (envelope.sender().isEmpty()) {
            return "reject (not sent: the sender is <>)";
        }
        byte[] originalHeader;
        try (InputStream in = HeaderFields.prepend(headers, message.open())) {
            originalHeader = OriginalHeader.read(in, HeaderFields.LIMIT).bytes();
        }
        Map<String, String> original = header(headers, message);
        byte[] notice = SieveMail.rejection(user.toString(), envelope.sender(), reason, original, originalHeader,
                sieve.outbox().hostname(), ZonedDateTime.now(sieve.clock()));
        String id = sieve.outbox().queue("", envelope.sender(), notice, false, true, "sieve-reject");
        return "reject" + (id == null ? " (not sent)" : " notice " + id);
    }

    private String vacation(Envelope envelope, EmailAddress user, Action.Vacation vacation, List<String> headers,
                            MessageSource message) throws IOException {
        if (envelope.sender().isEmpty()) {
            return "vacation (not sent: the sender is <>)";
        }
        Path home = store.layout().home(user);
        String key = "vacation\u0000" + vacation.handle() + "\u0000" + vacation.to().toLowerCase(java.util.Locale.ROOT);
        if (sieve.duplicates().checkAndRecord(home, key, vacation.period())) {
            return "vacation to <" + vacation.to() + "> not sent (replied within " + vacation.period() + ")";
        }
        Map<String, String> original = header(headers, message);
        String from = vacation.from() == null || vacation.from().isBlank() ? "<" + user + ">" : vacation.from();
        byte[] reply = SieveMail.vacation(from, vacation.to(), vacation.subject(), vacation.body(), vacation.mime(),
                original, sieve.outbox().hostname(), ZonedDateTime.now(sieve.clock()));
        // RFC 5230 §5.1: the reply's envelope sender is <>, so it can never cause another auto-reply or a bounce
        String id = sieve.outbox().queue("", vacation.to(), reply, false, true, "sieve-vacation");
        return "vacation to <" + vacation.to() + ">" + (id == null ? " (not sent)" : " as " + id);
    }

    private static Map<String, String> header(List<String> headers, MessageSource message) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(HeaderFields.prepend(headers, message.open()))) {
            return HeaderFields.read(in);
        }
    }

    /** Opens the message bytes afresh for each target. */
    @FunctionalInterface
    public interface MessageSource {
        InputStream open() throws IOException;
    }
}

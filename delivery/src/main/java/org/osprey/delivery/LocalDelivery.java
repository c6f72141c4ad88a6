package org.osprey.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.osprey.core.address.AddressException;
import org.osprey.core.address.EmailAddress;
import org.osprey.directory.Directory;
import org.osprey.directory.DirectoryUnavailableException;
import org.osprey.directory.Mailbox;
import org.osprey.store.Folders;
import org.osprey.store.MailStore;

/**
 * Puts a queued message into one local mailbox: Return-Path and Delivered-To are added (as Postfix's virtual and
 * Dovecot's LMTP do), then the store writes it durably into the INBOX. The user's Sieve rules will run here.
 */
public final class LocalDelivery {
    private final Directory directory;
    private final MailStore store;

    public LocalDelivery(Directory directory, MailStore store) {
        this.directory = directory;
        this.store = store;
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
        List<String> headers = new java.util.ArrayList<>();
        headers.add("Return-Path: <" + envelope.sender() + ">");
        headers.add("Delivered-To: " + mailbox.get().address());
        headers.addAll(envelope.headers());
        try (InputStream in = message.open()) {
            store.deliver(mailbox.get().address(), Folders.INBOX, headers, in, mailbox.get().quotaBytes());
            return new DeliveryResult.Delivered("delivered to maildir");
        } catch (IOException e) {
            return new DeliveryResult.Deferred("4.3.0 cannot write to the mailbox: " + e.getMessage());
        }
    }

    /** Opens the message bytes afresh for each target. */
    @FunctionalInterface
    public interface MessageSource {
        InputStream open() throws IOException;
    }
}

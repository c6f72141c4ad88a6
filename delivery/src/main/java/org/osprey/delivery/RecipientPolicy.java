package org.osprey.delivery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osprey.core.address.EmailAddress;
import org.osprey.directory.Directory;
import org.osprey.directory.DirectoryUnavailableException;
import org.osprey.directory.Mailbox;
import org.osprey.directory.Resolution;
import org.osprey.store.MailStore;

/**
 * Decides at RCPT time whether Osprey takes mail for an address: our domains go through alias expansion and the
 * quota check; other domains only from clients that may relay (authenticated users) — never an open relay.
 */
public final class RecipientPolicy {
    private final Directory directory;
    private final MailStore store;
    private final Srs srs;

    public RecipientPolicy(Directory directory, MailStore store) {
        this(directory, store, null);
    }

    /** With SRS: a bounce to an address we rewrote when forwarding goes back to the original sender. */
    public RecipientPolicy(Directory directory, MailStore store, Srs srs) {
        this.directory = directory;
        this.store = store;
        this.srs = srs;
    }

    public RecipientCheck check(EmailAddress recipient, boolean mayRelay, long expectedSize) {
        try {
            if (!directory.isLocalDomain(recipient.domain())) {
                return mayRelay
                        ? new RecipientCheck.Accepted(List.of(new Target(Target.Kind.REMOTE, recipient.toString(),
                                recipient.toString())))
                        : new RecipientCheck.RelayDenied();
            }
            if (srs != null && Srs.isSrs(recipient.localPart())) {
                // only bounces come back to SRS addresses; a forged or stale one is unknown here
                return srs.reverse(recipient.localPart())
                        .<RecipientCheck>map(original -> new RecipientCheck.Accepted(List.of(new Target(
                                Target.Kind.REMOTE, original, recipient.toString()))))
                        .orElseGet(RecipientCheck.Unknown::new);
            }
            Resolution resolution = directory.resolve(recipient);
            if (!resolution.isKnown()) {
                return new RecipientCheck.Unknown();
            }
            List<Target> targets = new ArrayList<>();
            List<String> full = new ArrayList<>();
            for (EmailAddress mailbox : resolution.mailboxes()) {
                if (overQuota(mailbox, expectedSize)) {
                    full.add(mailbox.toString());
                }
                targets.add(new Target(Target.Kind.LOCAL, mailbox.toString(), recipient.toString()));
            }
            for (EmailAddress external : resolution.external()) {
                targets.add(new Target(Target.Kind.REMOTE, external.toString(), recipient.toString()));
            }
            // Refuse only when nothing could take the message; a full member of a list does not block the list.
            if (resolution.external().isEmpty() && full.size() == resolution.mailboxes().size()) {
                return new RecipientCheck.OverQuota(full.getFirst());
            }
            return new RecipientCheck.Accepted(targets);
        } catch (DirectoryUnavailableException e) {
            return new RecipientCheck.Unavailable(e.getMessage());
        } catch (IOException e) {
            return new RecipientCheck.Unavailable("cannot read quota usage: " + e.getMessage());
        }
    }

    private boolean overQuota(EmailAddress address, long expectedSize) throws IOException {
        Optional<Mailbox> mailbox = directory.mailbox(address);
        long limit = mailbox.map(Mailbox::quotaBytes).orElse(0L);
        return limit > 0 && store.usage(address).bytes() + Math.max(0, expectedSize) > limit;
    }
}

package org.osprey.smtp;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.osprey.core.address.AddressException;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.config.Config;
import org.osprey.core.sasl.Authenticator;
import org.osprey.directory.Directory;

/**
 * What makes an SMTP listener a submission service (RFC 6409, ports 587 and 465): users log in with AUTH (only
 * over TLS unless the admin allows clear text), MAIL needs a login, an authenticated user may relay anywhere, and
 * the envelope sender and the From: addresses must be the user's own (an address of the mailbox or an alias that
 * delivers to it), as Postfix's reject_sender_login_mismatch does. Null means MX mode.
 */
public final class Submission {
    final Authenticator authenticator;
    private final Directory directory;
    final Config.Submission config;
    private final boolean plaintextWithoutTls;
    final MessageSigner signer;

    public Submission(Authenticator authenticator, Directory directory, Config.Submission config,
                      boolean plaintextWithoutTls, MessageSigner signer) {
        this.authenticator = authenticator;
        this.directory = directory;
        this.config = config;
        this.plaintextWithoutTls = plaintextWithoutTls;
        this.signer = signer;
    }

    /** RFC 4954 §4 and RFC 8314: passwords only over TLS, unless the admin allowed clear text. */
    boolean authAllowed(boolean tls) {
        return tls || plaintextWithoutTls;
    }

    /**
     * Why {@code account} may not use {@code address} as a sender, or empty when it may. The null sender and
     * users of the domains listed in any_sender_domains may send as anyone.
     */
    Optional<String> senderRefusal(String account, String address) {
        if (!config.rejectSenderMismatch() || address.isEmpty()) {
            return Optional.empty();
        }
        EmailAddress user;
        EmailAddress sender;
        try {
            user = EmailAddress.parse(account);
            sender = EmailAddress.parse(address);
        } catch (AddressException e) {
            return Optional.of("<" + address + ">: Sender address rejected: not a valid address");
        }
        if (config.anySenderDomains().contains(user.domain().toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        if (sender.key().equals(user.key())) {
            return Optional.empty();
        }
        Set<EmailAddress> owners = directory.senderOwners(sender);
        if (owners.stream().anyMatch(owner -> owner.key().equals(user.key()))) {
            return Optional.empty();
        }
        return Optional.of("<" + sender + ">: Sender address rejected: not owned by user " + user);
    }
}

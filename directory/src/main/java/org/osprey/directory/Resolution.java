package org.osprey.directory;

import java.util.Set;
import org.osprey.core.address.EmailAddress;

/**
 * Where mail for one recipient goes after alias expansion: local mailboxes and external addresses. Empty both means
 * the recipient is unknown. {@code undeliverable} lists expansion targets in our domains that do not exist.
 */
public record Resolution(Set<EmailAddress> mailboxes, Set<EmailAddress> external, Set<EmailAddress> undeliverable) {

    public boolean isKnown() {
        return !mailboxes.isEmpty() || !external.isEmpty();
    }
}

package org.osprey.delivery;

import java.util.List;

/** Whether a recipient can be accepted at RCPT time, and where it leads. */
public sealed interface RecipientCheck {
    record Accepted(List<Target> targets) implements RecipientCheck {
    }

    /** In one of our domains, but nobody there: 550 5.1.1. */
    record Unknown() implements RecipientCheck {
    }

    /** Not our domain and the client may not relay: 554 5.7.1. */
    record RelayDenied() implements RecipientCheck {
    }

    /** The mailbox is full: 452 4.2.2 (temporary, the user may clean up). */
    record OverQuota(String mailbox) implements RecipientCheck {
    }

    /** The directory or the store could not be asked: 451 4.3.0. */
    record Unavailable(String reason) implements RecipientCheck {
    }
}

package org.osprey.imap.parse;

import java.util.Locale;
import java.util.Optional;

/**
 * A STATUS data item (RFC 3501 §6.3.10, RFC 9051 §6.3.11 adding SIZE and DELETED, RFC 7162 HIGHESTMODSEQ,
 * RFC 7889 APPENDLIMIT). Also requested by LIST ... RETURN (STATUS (...)) (RFC 5819).
 */
public enum StatusItem {
    MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN, DELETED, SIZE, HIGHESTMODSEQ, APPENDLIMIT;

    public static Optional<StatusItem> of(String name) {
        for (StatusItem item : values()) {
            if (item.name().equals(name.toUpperCase(Locale.ROOT))) {
                return Optional.of(item);
            }
        }
        return Optional.empty();
    }
}

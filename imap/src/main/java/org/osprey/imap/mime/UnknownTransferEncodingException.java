package org.osprey.imap.mime;

/**
 * BINARY asked for a part whose Content-Transfer-Encoding this server cannot undo (RFC 3516 §4.3: answer
 * {@code NO [UNKNOWN-CTE]}).
 */
public final class UnknownTransferEncodingException extends Exception {
    private final String encoding;

    public UnknownTransferEncodingException(String encoding) {
        super("unknown Content-Transfer-Encoding " + encoding);
        this.encoding = encoding;
    }

    /** The encoding as the message names it. */
    public String encoding() {
        return encoding;
    }
}

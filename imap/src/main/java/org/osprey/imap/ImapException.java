package org.osprey.imap;

/**
 * A command that fails with a tagged NO or BAD, carrying the response code and text; thrown by the command
 * handlers and turned into the tagged response in one place, the session loop.
 */
final class ImapException extends Exception {
    private final boolean bad;
    private final String code;

    private ImapException(boolean bad, String code, String text) {
        super(text, null, false, false);
        this.bad = bad;
        this.code = code;
    }

    static ImapException no(String text) {
        return new ImapException(false, null, text);
    }

    static ImapException no(String code, String text) {
        return new ImapException(false, code, text);
    }

    static ImapException bad(String text) {
        return new ImapException(true, null, text);
    }

    static ImapException bad(String code, String text) {
        return new ImapException(true, code, text);
    }

    boolean isBad() {
        return bad;
    }

    /** The response code without brackets, or null. */
    String code() {
        return code;
    }

    /** The response line after the tag, e.g. "NO [TRYCREATE] No such mailbox". */
    String response() {
        return (bad ? "BAD " : "NO ") + (code == null ? "" : "[" + code + "] ") + getMessage();
    }
}

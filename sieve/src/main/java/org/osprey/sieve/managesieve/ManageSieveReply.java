package org.osprey.sieve.managesieve;

/**
 * A command answered with NO, or a session ended with BYE: thrown by the parser and the command handlers, written
 * once by the session loop. {@code fatal} replies (BYE) close the connection; the input is then not at a command
 * boundary any more.
 */
final class ManageSieveReply extends Exception {
    private final ResponseCode code;
    private final boolean fatal;

    private ManageSieveReply(ResponseCode code, String text, boolean fatal) {
        super(text, null, false, false);
        this.code = code;
        this.fatal = fatal;
    }

    static ManageSieveReply no(String text) {
        return new ManageSieveReply(null, text, false);
    }

    static ManageSieveReply no(ResponseCode code, String text) {
        return new ManageSieveReply(code, text, false);
    }

    static ManageSieveReply bye(String text) {
        return new ManageSieveReply(null, text, true);
    }

    /** Null when the reply has no response code. */
    ResponseCode code() {
        return code;
    }

    boolean fatal() {
        return fatal;
    }

    /** The whole response line, e.g. {@code NO (NONEXISTENT) "There is no script by that name"} with CRLF. */
    String response() {
        return Responses.line(fatal ? "BYE" : "NO", code, getMessage());
    }
}

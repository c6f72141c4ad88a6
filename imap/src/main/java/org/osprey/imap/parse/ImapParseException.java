package org.osprey.imap.parse;

import java.util.Optional;

/**
 * A command the parser (or the session, refusing a literal) will not accept, carrying everything the session needs
 * for its reply: the tag when it was read, BAD or NO, an optional response code (RFC 5530, e.g. TOOBIG) and a short
 * reason. The reason is always our own text, never the client's bytes, and control characters are removed from it,
 * so the reply can never be split into a forged second line.
 *
 * <p>{@link #fatal()} is true when the reader could not stay in step with the client (a refused non-synchronizing
 * literal too big to skip, an overlong line): the session sends the reply, then {@code * BYE} and closes. Otherwise
 * the rest of the command has already been consumed and the next read starts at the next command.
 */
public final class ImapParseException extends RuntimeException {
    public enum Status { BAD, NO }

    private final String tag;
    private final Status status;
    private final String code;
    private final boolean fatal;

    private ImapParseException(String tag, Status status, String code, String reason, boolean fatal) {
        super(clean(reason), null, false, false);
        this.tag = tag;
        this.status = status;
        this.code = code == null ? null : clean(code);
        this.fatal = fatal;
    }

    /** A syntax error: {@code <tag> BAD <reason>}. */
    public static ImapParseException bad(String reason) {
        return new ImapParseException(null, Status.BAD, null, reason, false);
    }

    /** A syntax error with a response code, e.g. {@code BAD [TOOBIG]}. */
    public static ImapParseException bad(String code, String reason) {
        return new ImapParseException(null, Status.BAD, code, reason, false);
    }

    /** A well-formed command refused, e.g. {@code NO [TOOBIG]} or {@code NO [OVERQUOTA]} for an APPEND literal. */
    public static ImapParseException no(String code, String reason) {
        return new ImapParseException(null, Status.NO, code, reason, false);
    }

    /** An error after which the reader cannot find the start of the next command: reply, then close. */
    static ImapParseException fatal(String code, String reason) {
        return new ImapParseException(null, Status.BAD, code, reason, true);
    }

    /** The tag of the failed command; empty when it could not be read (the reply is then untagged). */
    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    public Status status() {
        return status;
    }

    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    public String reason() {
        return getMessage();
    }

    /** True when the session must close the connection after replying: the input is no longer framed. */
    public boolean fatal() {
        return fatal;
    }

    /** The reply line, e.g. {@code a1 BAD [TOOBIG] Literal too big\r\n} or {@code * BAD Missing tag\r\n}. */
    public String response() {
        return (tag == null ? "*" : tag) + " " + status + (code == null ? "" : " [" + code + "]") + " " + reason()
                + "\r\n";
    }

    ImapParseException with(String newTag, boolean newFatal) {
        return new ImapParseException(newTag, status, code, reason(), newFatal || fatal);
    }

    private static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return out.toString();
    }
}

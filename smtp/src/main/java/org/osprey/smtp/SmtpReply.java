package org.osprey.smtp;

/**
 * A reply that ends the handling of a command: thrown by parsers and handlers, written once by the session loop.
 * Carries the RFC 5321 code, the RFC 3463 enhanced status code and a text that never echoes raw client input.
 */
public final class SmtpReply extends RuntimeException {
    private final int code;
    private final String enhancedCode;
    private final String text;

    public SmtpReply(int code, String enhancedCode, String text) {
        super(code + " " + enhancedCode + " " + text, null, false, false);
        this.code = code;
        this.enhancedCode = enhancedCode;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public String enhancedCode() {
        return enhancedCode;
    }

    public String text() {
        return text;
    }

    public boolean isError() {
        return code >= 400;
    }

    /** The reply as sent: "550 5.1.1 text\r\n". */
    public String wire() {
        return code + " " + enhancedCode + " " + text + "\r\n";
    }
}

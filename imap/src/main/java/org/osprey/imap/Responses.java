package org.osprey.imap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes responses to the client: untagged ("* ..."), tagged completions and continuation requests. Text goes out
 * as UTF-8; anything that may hold client data is encoded by the caller (ImapStrings), never written raw.
 */
final class Responses {
    private final OutputStream out;

    Responses(OutputStream out) {
        this.out = out;
    }

    void untagged(String text) throws IOException {
        out.write('*');
        out.write(' ');
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    /** An untagged response already encoded, without the leading "* " and with the final CRLF. */
    void untaggedBytes(byte[] bytes) throws IOException {
        out.write('*');
        out.write(' ');
        out.write(bytes);
    }

    void tagged(String tag, String text) throws IOException {
        out.write((tag + " " + text + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    void continuation(String text) throws IOException {
        out.write(("+ " + text + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
    }

    OutputStream stream() {
        return out;
    }

    void flush() throws IOException {
        out.flush();
    }
}

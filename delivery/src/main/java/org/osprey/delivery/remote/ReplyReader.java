package org.osprey.delivery.remote;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one reply, single or multi-line (RFC 5321 §4.2.1: "250-first", ..., "250 last"), from a server's stream.
 * Lenient where real servers are sloppy (a bare LF ends a line, a code alone is a last line, the last line's code
 * counts) and strict where a server could make us hold unbounded data: a line is at most 4 KB and a reply at most
 * 200 lines. Texts are decoded as UTF-8 (RFC 6531 servers may send it), bad bytes replaced.
 */
final class ReplyReader {
    static final int MAX_LINE = 4096;
    static final int MAX_LINES = 200;

    private ReplyReader() {
    }

    /**
     * @throws EOFException              the server closed the connection before a whole reply
     * @throws SmtpProtocolException     the bytes are not an SMTP reply
     */
    static Reply read(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine(in);
            if (line.length() < 3 || !isDigit(line.charAt(0)) || !isDigit(line.charAt(1))
                    || !isDigit(line.charAt(2)) || line.charAt(0) < '1' || line.charAt(0) > '5'
                    || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new SmtpProtocolException("malformed SMTP reply line: " + Reply.clean(shorten(line)));
            }
            int code = Integer.parseInt(line, 0, 3, 10);
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Reply(code, lines);
            }
            if (lines.size() >= MAX_LINES) {
                throw new SmtpProtocolException("SMTP reply longer than " + MAX_LINES + " lines");
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(line.size() == 0 ? "connection closed by the server"
                    : "connection closed by the server in the middle of a reply line");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE) {
                throw new SmtpProtocolException("SMTP reply line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String shorten(String line) {
        return line.length() > 100 ? line.substring(0, 100) + "..." : line;
    }
}

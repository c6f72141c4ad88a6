package org.osprey.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;

/**
 * The test messages: realistic headers, a plain-text body of 76-character lines, CRLF line endings, about
 * {@code size} bytes in all. Bodies come from a small pool made up front, so the client spends its CPU on the
 * wire, not on making text. Bodies are kept dot-stuffed, ready for DATA; every 25th line starts with a dot so
 * the server's un-stuffing is exercised too.
 */
final class MessageText {
    static final int LINE = 76;
    private static final int POOL = 8;
    private static final String[] WORDS = {
        "the", "mail", "server", "delivers", "every", "message", "to", "a", "maildir", "on", "disk", "after",
        "fsync", "queue", "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed",
        "do", "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua", "invoice",
        "meeting", "tomorrow", "please", "find", "attached", "regards", "thanks", "report", "quarterly", "of",
    };

    private final String from;
    private final String to;
    private final String runId;
    private final byte[][] bodies = new byte[POOL][];
    private final int[] bodySizes = new int[POOL];

    MessageText(String from, String to, int size, long seed) {
        this.from = from;
        this.to = to;
        this.runId = Long.toString(seed & 0xffffffffL, 36);
        int headerSize = headers(99_999, ZonedDateTime.now()).length;
        int bodySize = Math.max(LINE + 2, size - headerSize);
        Random random = new Random(seed);
        for (int i = 0; i < POOL; i++) {
            byte[] plain = body(bodySize, random);
            bodySizes[i] = plain.length;
            bodies[i] = dotStuff(plain);
        }
    }

    /** The header block of message {@code number}, ending with the empty line; never starts a line with a dot. */
    byte[] headers(int number, ZonedDateTime now) {
        String text = "From: Sender <" + from + ">\r\n"
                + "To: <" + to + ">\r\n"
                + "Subject: smtp-source test message " + number + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(now) + "\r\n"
                + "Message-ID: <" + number + "." + runId + "@" + domainOf(from) + ">\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n"
                + "X-Mailer: osprey-bench smtp-source\r\n"
                + "\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The body of message {@code number}, dot-stuffed, ending in CRLF (the final ".\r\n" is not included). */
    byte[] stuffedBody(int number) {
        return bodies[Math.floorMod(number, POOL)];
    }

    /** The size of the message as it is stored (not stuffed), for MAIL FROM's SIZE=. */
    int size(byte[] headers, int number) {
        return headers.length + bodySizes[Math.floorMod(number, POOL)];
    }

    /** Lines of exactly 76 characters (the last one shorter) until {@code size} bytes, CRLF included. */
    static byte[] body(int size, Random random) {
        var out = new StringBuilder(size + LINE);
        var line = new StringBuilder(LINE);
        int lineNumber = 0;
        while (out.length() < size) {
            line.setLength(0);
            lineNumber++;
            if (lineNumber % 25 == 0) {
                line.append(".. ");
            }
            while (line.length() < LINE) {
                if (!line.isEmpty() && line.charAt(line.length() - 1) != ' ') {
                    line.append(' ');
                }
                line.append(WORDS[random.nextInt(WORDS.length)]);
            }
            line.setLength(LINE);
            if (line.charAt(LINE - 1) == ' ') {
                line.setCharAt(LINE - 1, '.');
            }
            int room = size - out.length() - 2;
            if (room < LINE) {
                line.setLength(Math.max(1, room));
            }
            out.append(line).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** RFC 5321 §4.5.2: a line that starts with a dot gets one more. Input has CRLF line endings. */
    static byte[] dotStuff(byte[] text) {
        var out = new ByteArrayOutputStream(text.length + text.length / 64);
        boolean lineStart = true;
        for (byte b : text) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        return out.toByteArray();
    }

    private static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "localhost" : address.substring(at + 1);
    }
}

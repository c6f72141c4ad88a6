package org.osprey.smtp;

import java.io.EOFException;
import java.io.IOException;
import org.osprey.core.net.LineInput;

/**
 * Reads a DATA body (RFC 5321 §4.1.1.4) up to the terminating CRLF.CRLF, removing dot-stuffing, into a
 * {@link MessageSink}. Every line must end in CRLF: a bare LF or a bare CR stops reading at once with
 * {@link Result#BARE_LINE_ENDING}, because a message that disagrees with us about where lines (and so the data) end
 * is the SMTP smuggling attack, and nothing after it can be trusted.
 */
final class DataReader {
    enum Result { COMPLETE, BARE_LINE_ENDING }

    private static final int LINE_START = 0;
    private static final int MID_LINE = 1;
    private static final int CR_SEEN = 2;
    private static final int DOT_AT_START = 3;
    private static final int DOT_CR = 4;

    private DataReader() {
    }

    static Result read(LineInput in, MessageSink sink) throws IOException {
        // Smaller than LineInput's buffer, so every read is served from it and can be given back (unread).
        byte[] input = new byte[8 * 1024];
        byte[] output = new byte[16 * 1024 + 2];
        int state = LINE_START;
        while (true) {
            int n = in.read(input);
            if (n < 0) {
                throw new EOFException("connection closed during DATA");
            }
            int o = 0;
            for (int i = 0; i < n; i++) {
                byte b = input[i];
                switch (state) {
                    case LINE_START -> {
                        if (b == '.') {
                            state = DOT_AT_START;
                        } else if (b == '\r') {
                            state = CR_SEEN;
                        } else if (b == '\n') {
                            return Result.BARE_LINE_ENDING;
                        } else {
                            output[o++] = b;
                            state = MID_LINE;
                        }
                    }
                    case MID_LINE -> {
                        if (b == '\r') {
                            state = CR_SEEN;
                        } else if (b == '\n') {
                            return Result.BARE_LINE_ENDING;
                        } else {
                            output[o++] = b;
                        }
                    }
                    case CR_SEEN -> {
                        if (b != '\n') {
                            return Result.BARE_LINE_ENDING;
                        }
                        output[o++] = '\r';
                        output[o++] = '\n';
                        state = LINE_START;
                    }
                    case DOT_AT_START -> {
                        if (b == '\r') {
                            state = DOT_CR;
                        } else if (b == '\n') {
                            return Result.BARE_LINE_ENDING;
                        } else {
                            // RFC 5321 §4.5.2: the leading dot of a line with more characters is removed.
                            output[o++] = b;
                            state = MID_LINE;
                        }
                    }
                    case DOT_CR -> {
                        if (b != '\n') {
                            return Result.BARE_LINE_ENDING;
                        }
                        sink.write(output, 0, o);
                        // Bytes after the terminator are the next pipelined commands: give them back.
                        in.unread(n - i - 1);
                        return Result.COMPLETE;
                    }
                    default -> throw new IllegalStateException();
                }
                if (o >= output.length - 2) {
                    sink.write(output, 0, o);
                    o = 0;
                }
            }
            sink.write(output, 0, o);
        }
    }

}

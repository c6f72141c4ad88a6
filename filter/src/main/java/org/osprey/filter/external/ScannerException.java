package org.osprey.filter.external;

import java.io.IOException;
import java.time.Duration;

/** An external scanner gave no usable answer; the message is one printable line for the log, already explained. */
public final class ScannerException extends IOException {
    public ScannerException(String message) {
        super(message);
    }

    /** At most {@code max} printable ASCII characters of text from outside, for a log line. */
    static String printable(String text, int max) {
        var out = new StringBuilder();
        text.codePoints().limit(max).forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return out.toString();
    }

    /** A timeout for a log line: "30 s", or "300 ms" when not whole seconds. */
    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}

package org.osprey.delivery.bounce;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.james.mime4j.codec.QuotedPrintableOutputStream;
import org.osprey.delivery.Envelope;

/**
 * Writes delivery status notifications to the sender of a message: the bounce when delivery failed for good, and
 * the warning while it is still being retried. The format is RFC 3464's inside RFC 6522's multipart/report: a text
 * for people, a message/delivery-status part for programs, and the returned message's header only (never its body:
 * the sender has it, and a bounce must not carry a spam run's payload back out) as text/rfc822-headers, capped at
 * {@link #HEADER_LIMIT} bytes.
 *
 * <p>When an address is not ASCII the report uses RFC 6533's message/global-delivery-status with the "utf-8"
 * address type, and message/global-headers; it then needs SMTPUTF8 to travel ({@link DsnMessage#smtpUtf8()}).
 * Otherwise it is 7-bit throughout: reason texts are made ASCII and a returned header with 8-bit bytes (legacy
 * Latin-1 subjects) is quoted-printable.
 *
 * <p>The caller queues the result with the null sender, and never asks for a report on a message that had the null
 * sender itself (RFC 5321 §6.1: no bounce loops): that is refused here with an exception.
 */
public final class DsnComposer {
    /** The most bytes of the returned message's header that are included. */
    public static final int HEADER_LIMIT = 64 * 1024;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z",
            Locale.ENGLISH);
    private static final String CRLF = "\r\n";
    /** Text lines are wrapped before this column; header fields fold there (RFC 5322 §2.1.1). */
    private static final int WIDTH = 76;
    /** No line may pass 998 characters (RFC 5322 §2.1.1); a longer unbroken word is cut into pieces this long. */
    private static final int MAX_WORD = 900;
    private static final int MAX_REASON = 2000;

    private final String host;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** {@code reportingHost} is this server's name: Reporting-MTA, and the MAILER-DAEMON address's domain. */
    public DsnComposer(String reportingHost, Clock clock) {
        this.host = Objects.requireNonNull(reportingHost);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * The non-delivery report ("Undelivered Mail Returned to Sender", Action: failed) for the recipients that failed
     * for good. {@code original} is the queued message; only its header is read.
     *
     * @throws IllegalArgumentException when the envelope's sender is the null sender, or there are no recipients
     */
    public DsnMessage failure(Envelope envelope, List<DsnRecipient> recipients, InputStream original)
            throws IOException {
        return compose(envelope, recipients, null, original);
    }

    /**
     * The delay warning ("Delayed Mail (still being retried)", Action: delayed) for recipients still being tried,
     * until {@code retryUntil} (Will-Retry-Until).
     *
     * @throws IllegalArgumentException when the envelope's sender is the null sender, or there are no recipients
     */
    public DsnMessage delay(Envelope envelope, List<DsnRecipient> recipients, Instant retryUntil,
                            InputStream original) throws IOException {
        return compose(envelope, recipients, Objects.requireNonNull(retryUntil), original);
    }

    private DsnMessage compose(Envelope envelope, List<DsnRecipient> recipients, Instant retryUntil,
                               InputStream original) throws IOException {
        String sender = envelope.sender();
        if (sender == null || sender.isEmpty()) {
            throw new IllegalArgumentException("no report on a message from the null sender (" + envelope.id()
                    + "): it would be a bounce of a bounce");
        }
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one recipient");
        }
        checkAddress(sender);
        boolean utf8 = !isAscii(sender);
        for (DsnRecipient r : recipients) {
            checkAddress(r.address());
            checkAddress(r.original());
            utf8 |= !isAscii(r.address()) || !isAscii(r.original());
        }
        OriginalHeader header = OriginalHeader.read(original, HEADER_LIMIT);
        boolean eightBitHeader = !isAscii(header.bytes());
        // A UTF-8 header (RFC 6532) arrived with SMTPUTF8 and goes back the same way; raw 8-bit without it is legacy.
        utf8 |= eightBitHeader && envelope.smtpUtf8();
        boolean delayed = retryUntil != null;
        Instant now = clock.instant();
        String boundary = boundary(header.bytes());

        var out = new StringBuilder();
        out.append("From: Mail Delivery System <MAILER-DAEMON@").append(host).append('>').append(CRLF);
        out.append("To: ").append(sender).append(CRLF);
        out.append("Subject: ").append(delayed ? "Delayed Mail (still being retried)"
                : "Undelivered Mail Returned to Sender").append(CRLF);
        out.append("Date: ").append(date(now)).append(CRLF);
        out.append("Message-ID: <").append(envelope.id()).append('.').append(HexFormat.of().formatHex(
                randomBytes(8))).append(".dsn@").append(host).append('>').append(CRLF);
        // RFC 3834 §5: a DSN is "auto-replied", so responders and vacation scripts leave it alone.
        out.append("Auto-Submitted: auto-replied").append(CRLF);
        out.append("MIME-Version: 1.0").append(CRLF);
        out.append("Content-Type: multipart/report; report-type=delivery-status;").append(CRLF)
                .append("\tboundary=\"").append(boundary).append('"').append(CRLF);
        if (utf8) {
            out.append("Content-Transfer-Encoding: 8bit").append(CRLF);
        }
        out.append(CRLF);
        out.append("This is a delivery status notification in MIME format (RFC 3464).").append(CRLF);

        out.append(CRLF).append("--").append(boundary).append(CRLF);
        out.append("Content-Description: Notification").append(CRLF);
        out.append("Content-Type: text/plain; charset=").append(utf8 ? "utf-8" : "us-ascii").append(CRLF);
        if (utf8) {
            out.append("Content-Transfer-Encoding: 8bit").append(CRLF);
        }
        out.append(CRLF);
        explanation(out, recipients, retryUntil, header.truncated(), utf8);

        out.append(CRLF).append("--").append(boundary).append(CRLF);
        out.append("Content-Description: Delivery report").append(CRLF);
        out.append("Content-Type: ").append(utf8 ? "message/global-delivery-status" : "message/delivery-status")
                .append(CRLF);
        if (utf8) {
            out.append("Content-Transfer-Encoding: 8bit").append(CRLF);
        }
        out.append(CRLF);
        deliveryStatus(out, envelope, recipients, retryUntil, now, utf8);

        out.append(CRLF).append("--").append(boundary).append(CRLF);
        out.append("Content-Description: ").append(delayed ? "Delayed" : "Undelivered").append(" Message Headers")
                .append(CRLF);
        byte[] headerPart;
        if (utf8) {
            out.append("Content-Type: message/global-headers").append(CRLF);
            out.append("Content-Transfer-Encoding: 8bit").append(CRLF);
            headerPart = header.bytes();
        } else if (eightBitHeader) {
            out.append("Content-Type: text/rfc822-headers").append(CRLF);
            out.append("Content-Transfer-Encoding: quoted-printable").append(CRLF);
            headerPart = quotedPrintable(header.bytes());
        } else {
            out.append("Content-Type: text/rfc822-headers").append(CRLF);
            headerPart = header.bytes();
        }
        out.append(CRLF);

        var message = new ByteArrayOutputStream(out.length() + headerPart.length + 64);
        message.writeBytes(out.toString().getBytes(StandardCharsets.UTF_8));
        message.writeBytes(headerPart);
        message.writeBytes((CRLF + "--" + boundary + "--" + CRLF).getBytes(StandardCharsets.US_ASCII));
        return new DsnMessage(sender, message.toByteArray(), utf8);
    }

    /** Part 1: what happened, for the person who sent the message. */
    private void explanation(StringBuilder out, List<DsnRecipient> recipients, Instant retryUntil,
                             boolean truncated, boolean utf8) {
        wrap(out, "This is the mail system at " + host + ".", "");
        out.append(CRLF);
        if (retryUntil == null) {
            wrap(out, "Your message could not be delivered to the recipients below, and no further attempts will"
                    + " be made. The reasons follow; the header of your message is attached.", "");
        } else {
            wrap(out, "Your message has not yet been delivered to the recipients below. Delivery will be retried"
                    + " until " + date(retryUntil) + "; you do not need to send it again. If it still cannot be"
                    + " delivered by then, you will be told. The reasons follow; the header of your message is"
                    + " attached.", "");
        }
        out.append(CRLF);
        wrap(out, "If you need help, write to postmaster@" + host + " and include this report.", "");
        if (truncated) {
            out.append(CRLF);
            wrap(out, "(The attached header was cut at " + HEADER_LIMIT / 1024 + " KB.)", "");
        }
        for (DsnRecipient r : recipients) {
            out.append(CRLF);
            String who = "<" + r.address() + ">" + (r.original().equals(r.address()) ? ""
                    : " (expanded from <" + r.original() + ">)");
            wrap(out, who + ": " + clean(DsnReason.text(r.reason()), utf8), "    ");
        }
    }

    /** Part 2: the RFC 3464 fields, per message and then per recipient, each group after an empty line. */
    private void deliveryStatus(StringBuilder out, Envelope envelope, List<DsnRecipient> recipients,
                                Instant retryUntil, Instant now, boolean utf8) {
        field(out, "Reporting-MTA", "dns; " + host);
        field(out, "X-Osprey-Queue-ID", envelope.id());
        field(out, "X-Osprey-Sender", address(envelope.sender()));
        field(out, "Arrival-Date", date(Instant.ofEpochMilli(envelope.arrivalMillis())));
        for (DsnRecipient r : recipients) {
            out.append(CRLF);
            String reason = clean(r.reason(), utf8);
            field(out, "Final-Recipient", address(r.address()));
            if (!r.original().equals(r.address())) {
                field(out, "Original-Recipient", address(r.original()));
            }
            field(out, "Action", retryUntil == null ? "failed" : "delayed");
            field(out, "Status", DsnReason.status(reason, retryUntil != null));
            r.remoteMta().or(() -> DsnReason.remoteMta(reason)).ifPresent(mta -> field(out, "Remote-MTA",
                    "dns; " + clean(mta, utf8)));
            field(out, "Diagnostic-Code", DsnReason.diagnosticCode(reason));
            field(out, "Last-Attempt-Date", date(now));
            if (retryUntil != null) {
                field(out, "Will-Retry-Until", date(retryUntil));
            }
        }
    }

    /**
     * An address with its type (RFC 3464 §2.1.2): "rfc822; a@b", or for a non-ASCII one RFC 6533 §3's "utf-8; " with
     * the address itself (the utf-8-address form, which message/global-delivery-status carries as it is).
     */
    private static String address(String address) {
        return (isAscii(address) ? "rfc822; " : "utf-8; ") + address;
    }

    private String date(Instant instant) {
        return DATE.format(ZonedDateTime.ofInstant(instant, clock.getZone()));
    }

    /** A header-style field, folded at spaces before {@link #WIDTH} columns. */
    private static void field(StringBuilder out, String name, String value) {
        int column = name.length() + 1;
        out.append(name).append(':');
        for (String word : words(value)) {
            if (column + 1 + word.length() > WIDTH && column > name.length() + 1) {
                out.append(CRLF);
                column = 0;
            }
            out.append(' ').append(word);
            column += 1 + word.length();
        }
        out.append(CRLF);
    }

    /** A paragraph of text wrapped before {@link #WIDTH} columns; continuation lines start with {@code indent}. */
    private static void wrap(StringBuilder out, String text, String indent) {
        int column = 0;
        boolean first = true;
        for (String word : words(text)) {
            if (!first && column + 1 + word.length() > WIDTH) {
                out.append(CRLF).append(indent);
                column = indent.length();
            } else if (!first) {
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
            first = false;
        }
        out.append(CRLF);
    }

    private static List<String> words(String text) {
        var words = new java.util.ArrayList<String>();
        for (String word : text.strip().split("\\s+")) {
            for (int start = 0; start < word.length(); start += MAX_WORD) {
                words.add(word.substring(start, Math.min(word.length(), start + MAX_WORD)));
            }
        }
        return words;
    }

    /**
     * A reason made safe for the report: no line breaks or control characters, not overly long, and ASCII only
     * when the report must be 7-bit.
     */
    private static String clean(String text, boolean utf8) {
        String cut = text.length() > MAX_REASON ? text.substring(0, MAX_REASON) + "..." : text;
        var sb = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> {
            if (c == '\r' || c == '\n' || c == '\t') {
                sb.append(' ');
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0x80 && !utf8)) {
                sb.append('?');
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }

    private static void checkAddress(String address) {
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("control character in address " + address.replaceAll("\\p{Cntrl}",
                        "?"));
            }
        }
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] quotedPrintable(byte[] bytes) throws IOException {
        var out = new ByteArrayOutputStream(bytes.length * 3 / 2);
        try (var qp = new QuotedPrintableOutputStream(out, false)) {
            qp.write(bytes);
        }
        return out.toByteArray();
    }

    /** A boundary that does not occur in the returned header (the only part whose text is not ours). */
    private String boundary(byte[] header) {
        String text = new String(header, StandardCharsets.ISO_8859_1);
        while (true) {
            String boundary = "=_osprey_" + HexFormat.of().formatHex(randomBytes(12));
            if (!text.contains(boundary)) {
                return boundary;
            }
        }
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}

package org.osprey.delivery;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * The messages Sieve actions send: the vacation reply (RFC 5230 §5), the rejection notice (RFC 5429 §2.1, an MDN
 * as RFC 3798 lays it out) and the redirected copy (the original with a Received line of ours on top). All CRLF;
 * non-ASCII text goes base64 in UTF-8 bodies and RFC 2047 encoded words in headers.
 */
final class SieveMail {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);
    private static final SecureRandom RANDOM = new SecureRandom();
    private SieveMail() {
    }

    /**
     * The vacation reply: from the user to the sender, "Auto-Submitted: auto-replied", In-Reply-To and References
     * pointing at the original; the subject is the script's or "Auto: " + the original's.
     *
     * @param mime the body is a MIME entity of its own (":mime"): its headers go into the reply as they are
     */
    static byte[] vacation(String from, String to, String subject, String body, boolean mime,
                           Map<String, String> original, String hostname, ZonedDateTime now) {
        StringBuilder m = new StringBuilder();
        m.append("From: ").append(from).append("\r\n");
        m.append("To: <").append(to).append(">\r\n");
        String subjectText = subject != null && !subject.isBlank() ? subject
                : "Auto: " + original.getOrDefault("subject", "");
        m.append("Subject: ").append(encodeWords(subjectText.strip())).append("\r\n");
        String messageId = original.get("message-id");
        if (messageId != null && !messageId.isBlank()) {
            m.append("In-Reply-To: ").append(messageId).append("\r\n");
            String references = original.getOrDefault("references", "");
            m.append("References: ").append(references.isBlank() ? "" : references + " ").append(messageId)
                    .append("\r\n");
        }
        m.append("Date: ").append(DATE.format(now)).append("\r\n");
        m.append("Message-ID: <").append(randomId()).append("@").append(hostname).append(">\r\n");
        m.append("Auto-Submitted: auto-replied (vacation)\r\n");
        m.append("Precedence: bulk\r\n");
        m.append("MIME-Version: 1.0\r\n");
        if (mime) {
            m.append(crlf(body.stripLeading()));
        } else {
            m.append(textBody(body));
        }
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The notice of a Sieve reject (RFC 5429 §2.1.1: an MDN with the disposition "deleted"): the reason for
     * people, the machine-readable part, and the original's header.
     */
    static byte[] rejection(String recipient, String sender, String reason, Map<String, String> original,
                            byte[] originalHeader, String hostname, ZonedDateTime now) {
        String boundary = "osprey-" + randomId();
        StringBuilder m = new StringBuilder();
        m.append("From: Mail Delivery System <MAILER-DAEMON@").append(hostname).append(">\r\n");
        m.append("To: <").append(sender).append(">\r\n");
        m.append("Subject: Automatically rejected mail\r\n");
        m.append("Date: ").append(DATE.format(now)).append("\r\n");
        m.append("Message-ID: <").append(randomId()).append("@").append(hostname).append(">\r\n");
        m.append("Auto-Submitted: auto-replied (rejected)\r\n");
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: multipart/report; report-type=disposition-notification;\r\n\tboundary=\"")
                .append(boundary).append("\"\r\n\r\n");
        m.append("This is a MIME-encapsulated message.\r\n\r\n");
        m.append("--").append(boundary).append("\r\n");
        m.append(textBody("Your message to <" + recipient + "> was automatically rejected:\n" + reason + "\n"));
        m.append("\r\n--").append(boundary).append("\r\n");
        m.append("Content-Type: message/disposition-notification\r\n\r\n");
        m.append("Reporting-UA: ").append(hostname).append("; Osprey Sieve\r\n");
        m.append("Final-Recipient: rfc822; ").append(recipient).append("\r\n");
        String messageId = original.get("message-id");
        if (messageId != null && !messageId.isBlank()) {
            m.append("Original-Message-ID: ").append(messageId).append("\r\n");
        }
        m.append("Disposition: automatic-action/MDN-sent-automatically; deleted\r\n");
        m.append("\r\n--").append(boundary).append("\r\n");
        m.append("Content-Type: text/rfc822-headers\r\n\r\n");
        byte[] head = m.toString().getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + originalHeader.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(originalHeader, 0, all, head.length, originalHeader.length);
        System.arraycopy(tail, 0, all, head.length + originalHeader.length, tail.length);
        return all;
    }

    /** The Received line put on a redirected copy, so the next hop can see (and count) the forwarding. */
    static String redirectReceived(String user, String hostname, String queueId, ZonedDateTime now) {
        return "Received: by " + hostname + " (Osprey Sieve) id " + queueId + "\r\n\tfor <" + user + ">; "
                + DATE.format(now) + "\r\n";
    }

    private static String textBody(String text) {
        String body = crlf(text);
        if (!body.endsWith("\r\n")) {
            body += "\r\n";
        }
        if (body.chars().allMatch(c -> c < 128)) {
            return "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" + body;
        }
        String encoded = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'})
                .encodeToString(body.getBytes(StandardCharsets.UTF_8));
        return "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + encoded
                + "\r\n";
    }

    private static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n");
    }

    /** RFC 2047 B-encoding for header text that is not ASCII; ASCII passes as it is (line breaks removed). */
    static String encodeWords(String text) {
        String clean = text.replace("\r", " ").replace("\n", " ");
        if (clean.chars().allMatch(c -> c >= 32 && c < 127)) {
            return clean;
        }
        StringBuilder out = new StringBuilder();
        byte[] bytes = clean.getBytes(StandardCharsets.UTF_8);
        int start = 0;
        while (start < bytes.length) {
            int end = Math.min(bytes.length, start + 45);
            while (end < bytes.length && (bytes[end] & 0xC0) == 0x80) {
                end--; // never split a UTF-8 sequence
            }
            if (out.length() > 0) {
                out.append("\r\n ");
            }
            out.append("=?UTF-8?B?").append(Base64.getEncoder().encodeToString(
                    java.util.Arrays.copyOfRange(bytes, start, end))).append("?=");
            start = end;
        }
        return out.toString();
    }

    private static String randomId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

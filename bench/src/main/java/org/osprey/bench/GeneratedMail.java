package org.osprey.bench;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Random;

/**
 * Made-up mail of about a given size for the content checks to chew on, in the four shapes inbound mail mostly
 * has: plain text (quoted-printable), HTML only, multipart/alternative with both, and multipart/mixed with a
 * base64 attachment. Each message draws its words from an ordinary vocabulary and, in proportion to its
 * {@code spamminess}, from a sales-pitch one, so a classifier trained on them has something to tell apart. Nothing
 * here comes from a real corpus. CRLF line endings, as a message is queued.
 */
final class GeneratedMail {
    private static final String[] PLAIN = {
        "the", "meeting", "tomorrow", "project", "report", "please", "find", "attached", "regards", "thanks",
        "schedule", "review", "build", "release", "notes", "draft", "agenda", "minutes", "team", "budget", "we",
        "should", "discuss", "changes", "server", "patch", "tested", "works", "for", "me", "on", "friday", "lunch",
        "quarterly", "figures", "customer", "asked", "about", "invoice", "number", "deadline", "next", "week",
    };
    private static final String[] PITCH = {
        "free", "offer", "limited", "time", "click", "here", "winner", "cash", "guaranteed", "discount", "cheap",
        "pills", "viagra", "casino", "bonus", "credit", "loan", "approved", "unsubscribe", "act", "now", "million",
        "dollars", "investment", "opportunity", "risk-free", "order", "today", "exclusive", "deal", "prize",
    };
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final Random random;

    GeneratedMail(long seed) {
        this.random = new Random(seed);
    }

    /** Message {@code number}: its shape is {@code number % 4}; {@code spamminess} 0..1 mixes the pitch words in. */
    byte[] message(int number, int size, double spamminess) {
        String boundary = "=_bench_" + Integer.toHexString(random.nextInt()) + "_" + number;
        String sender = spamminess > 0.5 ? "deals" + random.nextInt(1000) + "@promo" + random.nextInt(50) + ".example"
                : "colleague" + random.nextInt(40) + "@partner.example";
        String subject = subject(spamminess);
        var head = new StringBuilder()
                .append("Received: from mail").append(random.nextInt(200)).append(".sender.example (mail.sender.example"
                        + " [192.0.2.").append(1 + random.nextInt(250)).append("])\r\n\tby mx.example.org with ESMTP id ")
                .append(Long.toHexString(random.nextLong())).append("\r\n\tfor <john@example.org>; ")
                .append(DATE.format(ZonedDateTime.of(2026, 12, 4, 12, 0, 0, 0, ZoneOffset.UTC).plusSeconds(number)))
                .append("\r\n")
                .append("From: ").append(spamminess > 0.5 ? "Best Deals" : "A Colleague").append(" <").append(sender)
                .append(">\r\nTo: John <john@example.org>\r\nSubject: ").append(subject).append("\r\n")
                .append("Date: ").append(DATE.format(ZonedDateTime.of(2026, 12, 4, 11, 59, 0, 0, ZoneOffset.UTC)
                        .plusSeconds(number))).append("\r\n")
                .append("Message-ID: <").append(number).append('.').append(Long.toHexString(random.nextLong()))
                .append("@sender.example>\r\nMIME-Version: 1.0\r\n");
        if (subject.startsWith("Re: ")) {
            String parent = "<" + Long.toHexString(random.nextLong()) + "@example.org>";
            head.append("In-Reply-To: ").append(parent).append("\r\nReferences: ").append(parent).append("\r\n");
        }
        int room = Math.max(1024, size - head.length() - 300);
        var body = new StringBuilder(size + 1024);
        switch (number % 4) {
            case 0 -> {
                head.append("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n");
                body.append(quotedPrintable(text(room, spamminess)));
            }
            case 1 -> {
                head.append("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n");
                body.append(html(room, spamminess));
            }
            case 2 -> {
                head.append("Content-Type: multipart/alternative; boundary=\"").append(boundary).append("\"\r\n");
                body.append("--").append(boundary).append("\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
                        .append(text(room / 3, spamminess))
                        .append("--").append(boundary).append("\r\nContent-Type: text/html; charset=utf-8\r\n\r\n")
                        .append(html(room * 2 / 3, spamminess))
                        .append("--").append(boundary).append("--\r\n");
            }
            default -> {
                head.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\r\n");
                byte[] attachment = new byte[room / 2 * 3 / 4];
                random.nextBytes(attachment);
                body.append("--").append(boundary).append("\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
                        .append(text(room / 2, spamminess))
                        .append("--").append(boundary).append("\r\nContent-Type: application/pdf; name=\"report-")
                        .append(number).append(".pdf\"\r\nContent-Disposition: attachment; filename=\"report-")
                        .append(number).append(".pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                        .append(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(attachment))
                        .append("\r\n--").append(boundary).append("--\r\n");
            }
        }
        return head.append("\r\n").append(body).toString().getBytes(StandardCharsets.UTF_8);
    }

    private String subject(double spamminess) {
        if (random.nextDouble() < spamminess) {
            String pitch = words(5, 1.0);
            return random.nextBoolean() ? pitch.toUpperCase() + "!!!" : pitch;
        }
        return "Re: " + words(4, 0.0);
    }

    /** Lines of about 72 characters until {@code size} characters, a blank line now and then. */
    private String text(int size, double spamminess) {
        var out = new StringBuilder(size + 80);
        var line = new StringBuilder(80);
        int lines = 0;
        while (out.length() < size) {
            line.setLength(0);
            while (line.length() < 72) {
                line.append(line.isEmpty() ? "" : " ").append(word(spamminess));
            }
            out.append(line).append(++lines % 6 == 0 ? ".\r\n\r\n" : "\r\n");
        }
        return out.toString();
    }

    /** Paragraphs with links, a little styling and, for pitches, hidden text and links whose text names another host. */
    private String html(int size, double spamminess) {
        var out = new StringBuilder(size + 200).append("<html><head><style>p{font-family:Arial}</style></head><body>\r\n");
        while (out.length() < size) {
            out.append("<p>").append(words(30, spamminess)).append(" <b>").append(word(spamminess)).append("</b> ")
                    .append(words(20, spamminess)).append("</p>\r\n");
            if (spamminess > 0.5 && random.nextDouble() < spamminess) {
                out.append("<p><a href=\"http://track").append(random.nextInt(99)).append(".promo.example/c?id=")
                        .append(Integer.toHexString(random.nextInt())).append("\">https://www.bank.example/login</a>")
                        .append("<span style=\"display:none\">").append(words(12, 0.0)).append("</span></p>\r\n");
            } else {
                out.append("<p>Details: <a href=\"https://wiki.example.org/page/").append(random.nextInt(5000))
                        .append("\">the wiki page</a></p>\r\n");
            }
        }
        return out.append("</body></html>\r\n").toString();
    }

    private String words(int count, double spamminess) {
        var out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : " ").append(word(spamminess));
        }
        return out.toString();
    }

    private String word(double spamminess) {
        return random.nextDouble() < spamminess * 0.6 ? PITCH[random.nextInt(PITCH.length)]
                : PLAIN[random.nextInt(PLAIN.length)];
    }

    /** RFC 2045 §6.7, for text that is ASCII with CRLF lines shorter than 76: only '=' needs encoding. */
    private static String quotedPrintable(String text) {
        return text.replace("=", "=3D");
    }
}

package org.osprey.filter.external;

import java.nio.charset.StandardCharsets;

/** Test messages with CRLF line endings, as Osprey spools them. */
final class Messages {
    private Messages() {
    }

    /** An ordinary, well-formed personal message with the given Message-ID and body. */
    static byte[] message(String messageId, String body) {
        return String.join("\r\n",
                "Received: from mail.example.org (mail.example.org [192.0.2.1])",
                "\tby mx.example.com with ESMTPS id 4f2a; Sat, 05 Dec 2026 01:00:00 +0000",
                "Date: Sat, 05 Dec 2026 00:59:58 +0000",
                "From: Alice Example <alice@example.org>",
                "To: Bob Example <bob@example.com>",
                "Subject: Lunch tomorrow",
                "Message-ID: <" + messageId + ">",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=us-ascii",
                "",
                body,
                "").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] plain(String messageId) {
        return message(messageId, "Hi Bob,\r\n\r\nshall we meet at noon at the usual place? I will bring the notes"
                + " from Tuesday's meeting.\r\n\r\nAlice");
    }

    static byte[] gtube(String messageId) {
        return message(messageId, "This is the GTUBE, the\r\n\r\n" + SpamdProcess.GTUBE + "\r\n");
    }
}

package org.osprey.filter.clamav;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test messages, built in code so the EICAR string never appears in a file of the repository. */
final class Messages {
    private Messages() {
    }

    static byte[] plain(String body) {
        return ("From: alice@example.org\r\nTo: bob@example.net\r\nSubject: hello\r\n"
                + "Message-ID: <1@example.org>\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] withAttachment(String fileName, String contentType, byte[] content) {
        var base64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(content);
        return ("From: alice@example.org\r\nTo: bob@example.net\r\nSubject: the file\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nSee attached.\r\n"
                + "--b1\r\nContent-Type: " + contentType + "; name=\"" + fileName + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"" + fileName + "\"\r\n\r\n"
                + base64 + "\r\n--b1--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] zip(String entryName, byte[] content) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(entryName));
            zip.write(content);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}

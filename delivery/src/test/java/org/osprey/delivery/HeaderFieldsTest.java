package org.osprey.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Leaving header fields out by position, as the content checks ask for it (X-Spam-* a sender put there). */
class HeaderFieldsTest {
    private static String without(Set<Integer> positions, String message) throws IOException {
        return new String(HeaderFields.without(positions, new ByteArrayInputStream(
                message.getBytes(StandardCharsets.UTF_8))).readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void foldedFieldsGoWholeAndTheBodyIsUntouched() throws IOException {
        String message = "Received: from a\r\n\tby b\r\nX-Spam-Flag: YES\r\nSubject: Hi\r\nX-Spam-Status: Yes,\r\n"
                + " score=99\r\n\r\nX-Spam-Flag: YES in the body stays\r\n";
        assertThat(without(Set.of(1, 3), message)).isEqualTo(
                "Received: from a\r\n\tby b\r\nSubject: Hi\r\n\r\nX-Spam-Flag: YES in the body stays\r\n");
        assertThat(without(Set.of(0), message)).startsWith("X-Spam-Flag: YES\r\nSubject");
        assertThat(without(Set.of(9), message)).isEqualTo(message);
    }

    @Test
    void bareLineFeedsAndAMessageWithoutBody() throws IOException {
        assertThat(without(Set.of(1), "A: 1\nB: 2\n  more\nC: 3\n")).isEqualTo("A: 1\nC: 3\n");
        assertThat(without(Set.of(2), "A: 1\nB: 2\nC: 3")).isEqualTo("A: 1\nB: 2\n");
        assertThat(without(Set.of(1), "A: 1\nB: 2\nC: 3")).isEqualTo("A: 1\nC: 3");
    }

    @Test
    void readGivesTheFirstOfEachFieldUnfoldedUnderItsLowerCaseName() throws IOException {
        var fields = HeaderFields.read(new ByteArrayInputStream(("Subject: holiday\r\n\tplans\r\n"
                + "Message-ID: <a@example.net>\r\nSUBJECT: second\r\n\r\nBody: no\r\n")
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(fields).containsEntry("subject", "holiday plans").containsEntry("message-id", "<a@example.net>")
                .doesNotContainKey("body");
    }
}

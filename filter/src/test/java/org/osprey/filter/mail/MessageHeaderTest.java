package org.osprey.filter.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The header reader: order, positions, unfolding, odd lines, the end of the header. */
class MessageHeaderTest {
    private static MessageHeader read(String message) throws IOException {
        return MessageHeader.read(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void fieldsKeepTheirOrderAndPositionAndFoldedValuesAreUnfolded() throws IOException {
        MessageHeader header = read("Received: from a\r\n\tby b\r\nX-Spam-Flag: YES\r\nSubject:  Hello\r\n"
                + " world\r\nx-spam-flag: no\r\n\r\nX-Not-A-Header: body\r\n");
        assertThat(header.fields()).extracting(HeaderField::position).containsExactly(0, 1, 2, 3);
        assertThat(header.fields()).extracting(HeaderField::name)
                .containsExactly("Received", "X-Spam-Flag", "Subject", "x-spam-flag");
        assertThat(header.value("received")).contains("from a\tby b");
        assertThat(header.value("SUBJECT")).contains("Hello world");
        assertThat(header.all("X-Spam-Flag")).extracting(HeaderField::position).containsExactly(1, 3);
        assertThat(header.first("X-Not-A-Header")).isEmpty();
    }

    @Test
    void aLineWithoutAColonStillTakesAPositionAndAnUnterminatedHeaderIsRead() throws IOException {
        MessageHeader header = read("From: a@example.net\nnot a field\nTo: b@example.org");
        assertThat(header.fields()).extracting(HeaderField::position).containsExactly(0, 1, 2);
        assertThat(header.fields().get(1).name()).isEmpty();
        assertThat(header.value("to")).contains("b@example.org");
        assertThat(read("").fields()).isEmpty();
    }
}

package org.osprey.delivery.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyReaderTest {

    @Test
    void readsSingleAndMultiLineRepliesInTurn() throws IOException {
        InputStream in = stream("220 mx.example.net ESMTP\r\n250-mx.example.net\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
        Reply greeting = ReplyReader.read(in);
        Reply ehlo = ReplyReader.read(in);
        assertThat(greeting.code()).isEqualTo(220);
        assertThat(greeting.lines()).containsExactly("mx.example.net ESMTP");
        assertThat(ehlo.code()).isEqualTo(250);
        assertThat(ehlo.lines()).containsExactly("mx.example.net", "PIPELINING", "8BITMIME");
    }

    @Test
    void aReplyArrivingOneByteAtATimeIsTheSame() throws IOException {
        byte[] bytes = "550-5.1.1 first\r\n550 5.1.1 second\r\n".getBytes(StandardCharsets.US_ASCII);
        InputStream trickle = new InputStream() {
            int next;

            @Override
            public int read() {
                return next < bytes.length ? bytes[next++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (next >= bytes.length) {
                    return -1;
                }
                b[off] = bytes[next++];
                return 1;
            }
        };
        assertThat(ReplyReader.read(trickle).text()).isEqualTo("550 5.1.1 first second");
    }

    @Test
    void bareLfAndACodeWithoutTextAreAccepted() throws IOException {
        Reply reply = ReplyReader.read(stream("250\n"));
        assertThat(reply.code()).isEqualTo(250);
        assertThat(reply.lines()).containsExactly("");
    }

    @Test
    void enhancedStatusIsTakenFromTheReplyOrMadeUpFromItsClass() throws IOException {
        assertThat(ReplyReader.read(stream("550 5.1.1 <a@b>: user unknown\r\n")).status()).isEqualTo("5.1.1");
        assertThat(ReplyReader.read(stream("550 user unknown\r\n")).status()).isEqualTo("5.0.0");
        assertThat(ReplyReader.read(stream("451 try later\r\n")).status()).isEqualTo("4.0.0");
        // a server that contradicts itself: the reply code decides the class, as Postfix does
        assertThat(ReplyReader.read(stream("550 4.2.2 mailbox full\r\n")).status()).isEqualTo("5.2.2");
        assertThat(ReplyReader.read(stream("550 5.1.10 null MX\r\n")).status()).isEqualTo("5.1.10");
    }

    @Test
    void textDropsRepeatedCodesAndControlCharacters() throws IOException {
        Reply reply = ReplyReader.read(stream("550-5.7.1 Message rejected\r\n550-5.7.1 see\u0007 policy\r\n"
            + "550 5.7.1 https://example.net/why\r\n"));
        assertThat(reply.text()).isEqualTo("550 5.7.1 Message rejected see? policy https://example.net/why");
    }

    @Test
    void garbageIsAProtocolError() {
        assertThatThrownBy(() -> ReplyReader.read(stream("HTTP/1.1 400 Bad Request\r\n")))
            .isInstanceOf(SmtpProtocolException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> ReplyReader.read(stream("250x\r\n"))).isInstanceOf(SmtpProtocolException.class);
        assertThatThrownBy(() -> ReplyReader.read(stream("650 no\r\n"))).isInstanceOf(SmtpProtocolException.class);
    }

    @Test
    void aClosedConnectionIsEof() {
        assertThatThrownBy(() -> ReplyReader.read(stream(""))).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> ReplyReader.read(stream("250-more\r\n250 cut"))).isInstanceOf(EOFException.class);
    }

    @Test
    void endlessRepliesAreRefused() {
        String longLine = "250 " + "x".repeat(ReplyReader.MAX_LINE) + "\r\n";
        assertThatThrownBy(() -> ReplyReader.read(stream(longLine))).isInstanceOf(SmtpProtocolException.class)
            .hasMessageContaining("longer than");
        String manyLines = "250-x\r\n".repeat(ReplyReader.MAX_LINES + 1) + "250 x\r\n";
        assertThatThrownBy(() -> ReplyReader.read(stream(manyLines))).isInstanceOf(SmtpProtocolException.class)
            .hasMessageContaining("lines");
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}

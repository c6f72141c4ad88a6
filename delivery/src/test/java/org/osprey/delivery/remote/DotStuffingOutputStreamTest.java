package org.osprey.delivery.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DotStuffingOutputStreamTest {

    @Test
    void doublesLeadingDotsAndEndsWithDot() throws IOException {
        assertThat(stuff(".hidden\r\nplain\r\n..two\r\n.\r\nend.\r\n", 0))
            .isEqualTo("..hidden\r\nplain\r\n...two\r\n..\r\nend.\r\n.\r\n");
    }

    @Test
    void everyWayOfSplittingTheWritesGivesTheSameBytes() throws IOException {
        String message = ".a\r\n\r\n.\r\nx.\r\n..\r\nlast line without break";
        String expected = "..a\r\n\r\n..\r\nx.\r\n...\r\nlast line without break\r\n.\r\n";
        for (int split = 0; split <= message.length(); split++) {
            assertThat(stuff(message, split)).as("split at %d", split).isEqualTo(expected);
        }
    }

    @Test
    void bareLineBreaksAreSentAsCrlf() throws IOException {
        // a bare LF before a dot is how "SMTP smuggling" hides a second message; it must not leave here bare
        for (int split = 0; split <= 12; split++) {
            assertThat(stuff("a\n.\nb\rc\r\n", split)).as("split at %d", split)
                .isEqualTo("a\r\n..\r\nb\r\nc\r\n.\r\n");
        }
    }

    @Test
    void emptyMessageIsJustTheDot() throws IOException {
        assertThat(stuff("", 0)).isEqualTo(".\r\n");
    }

    private static String stuff(String text, int split) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffingOutputStream stuffing = new DotStuffingOutputStream(out);
        int at = Math.min(split, bytes.length);
        stuffing.write(bytes, 0, at);
        stuffing.write(bytes, at, bytes.length - at);
        stuffing.finish();
        return out.toString(StandardCharsets.US_ASCII);
    }
}

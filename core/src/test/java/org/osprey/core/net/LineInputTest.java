package org.osprey.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * LineInput as a pure parser. Every case runs once per way of delivering its bytes (all at once, n bytes per read,
 * cut in two at every offset), because TCP may end a read anywhere: inside a CRLF, inside a line, inside a body.
 */
class LineInputTest {
    private static final int MAX = 10;

    @FunctionalInterface
    private interface Check {
        void run(LineInput input) throws IOException;
    }

    @Test
    void linesEndWithCrlfOrBareLfAndTellWhich() {
        forEveryDelivery("A1 one\r\nB2 two\n\r\n\nC3\r\n", input -> {
            assertLine(input.readLine(MAX), "A1 one", true);
            assertLine(input.readLine(MAX), "B2 two", false);
            assertLine(input.readLine(MAX), "", true);
            assertLine(input.readLine(MAX), "", false);
            assertLine(input.readLine(MAX), "C3", true);
            assertThatThrownBy(() -> input.readLine(MAX)).isInstanceOf(EOFException.class);
            assertThat(input.read()).isEqualTo(-1);
        });
    }

    @Test
    void bareCrInsideALineStaysInTheLineAndIsFlagged() {
        forEveryDelivery("a\rb\r\nx\r\r\n\rlead\nplain\r\n", input -> {
            Line first = input.readLine(MAX);
            assertThat(first.text()).isEqualTo("a\rb");
            assertThat(first.crlf()).isTrue();
            assertThat(first.hasBareCr()).isTrue();
            // only the CR right before the LF is the terminator; the one before it is content
            Line second = input.readLine(MAX);
            assertThat(second.text()).isEqualTo("x\r");
            assertThat(second.crlf()).isTrue();
            assertThat(second.hasBareCr()).isTrue();
            Line third = input.readLine(MAX);
            assertThat(third.text()).isEqualTo("\rlead");
            assertThat(third.crlf()).isFalse();
            assertThat(third.hasBareCr()).isTrue();
            assertLine(input.readLine(MAX), "plain", true);
        });
    }

    @Test
    void lineOfExactlyTheMaximumIsAccepted() {
        forEveryDelivery("0123456789\r\n0123456789\nnext\r\n", input -> {
            assertLine(input.readLine(MAX), "0123456789", true);
            assertLine(input.readLine(MAX), "0123456789", false);
            assertLine(input.readLine(MAX), "next", true);
        });
    }

    @Test
    void lineOneOverTheMaximumIsRefusedAndTheNextLineStillReads() {
        forEveryDelivery("0123456789A\r\nnext\r\n0123456789A\nafter\n", input -> {
            assertThatThrownBy(() -> input.readLine(MAX)).isInstanceOf(LineTooLongException.class);
            assertLine(input.readLine(MAX), "next", true);
            // with a bare LF the CR allowance must not let one more content byte through
            assertThatThrownBy(() -> input.readLine(MAX)).isInstanceOf(LineTooLongException.class);
            assertLine(input.readLine(MAX), "after", false);
            assertThatThrownBy(() -> input.readLine(MAX)).isInstanceOf(EOFException.class);
        });
    }

    @Test
    void limitAboveTheInitialLineBufferAcceptsExactlyThatMany() {
        // the line buffer starts at 256 bytes and must grow up to, and not past, the limit
        int max = 1000;
        String exact = "a".repeat(max);
        String over = "b".repeat(max + 1);
        forEveryDelivery(exact + "\r\n" + over + "\r\n" + exact + "\nc\r\n", input -> {
            assertLine(input.readLine(max), exact, true);
            assertThatThrownBy(() -> input.readLine(max)).isInstanceOf(LineTooLongException.class);
            assertLine(input.readLine(max), exact, false);
            assertLine(input.readLine(max), "c", true);
        });
    }

    @Test
    void lineFarOverTheMaximumIsSkippedWholeAcrossBufferRefills() {
        // 40 000 bytes is more than the 16 KiB buffer holds, so skipping it takes several refills
        byte[] data = bytes("X".repeat(40_000) + "\r\nnext\r\n");
        forEach(someDeliveries(data), input -> {
            assertThatThrownBy(() -> input.readLine(MAX)).isInstanceOf(LineTooLongException.class);
            assertLine(input.readLine(MAX), "next", true);
            assertThatThrownBy(() -> input.readLine(MAX)).isInstanceOf(EOFException.class);
        });
    }

    @Test
    void endOfInputInsideALineIsAnEofAndNeverALine() {
        forEveryDelivery("ok\r\npartial\r", input -> {
            assertLine(input.readLine(MAX), "ok", true);
            assertThatThrownBy(() -> input.readLine(MAX)).isInstanceOf(EOFException.class);
            assertThat(input.read()).isEqualTo(-1);
        });
        forEveryDelivery("partial", input ->
            assertThatThrownBy(() -> input.readLine(MAX)).isInstanceOf(EOFException.class));
        forEveryDelivery("0123456789ABCDEF", input ->
            assertThatThrownBy(() -> input.readLine(MAX)).isInstanceOf(EOFException.class));
        forEveryDelivery("", input ->
            assertThatThrownBy(() -> input.readLine(MAX)).isInstanceOf(EOFException.class));
    }

    @Test
    void rawBytesAfterALineComeFromTheSameBufferInOrder() {
        // an IMAP literal and an SMTP body: raw bytes after a command line, with CR and LF of their own
        String text = "A1 APPEND {6}\r\n" + "a\r\nb\nc" + " FLAGS\r\n" + "DATA\r\n" + "body\r\n.\r\n" + "NEXT\r\n";
        forEveryDelivery(text, input -> {
            assertLine(input.readLine(100), "A1 APPEND {6}", true);
            assertThat(input.readNBytes(6)).isEqualTo(bytes("a\r\nb\nc"));
            assertLine(input.readLine(100), " FLAGS", true);
            assertLine(input.readLine(100), "DATA", true);
            byte[] body = new byte[9];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) input.read();
            }
            assertThat(body).isEqualTo(bytes("body\r\n.\r\n"));
            assertLine(input.readLine(100), "NEXT", true);
            assertThat(input.read()).isEqualTo(-1);
            assertThat(input.read(new byte[8], 0, 8)).isEqualTo(-1);
        });
    }

    @Test
    void bodyLargerThanTheBufferIsReadWholeAndTheNextLineAfterIt() {
        // reads of 16 KiB or more bypass the buffer once it is empty; no byte may be lost or reordered
        byte[] body = new byte[40_000];
        new Random(42).nextBytes(body);
        byte[] command = bytes("BDAT 40000\r\n");
        byte[] next = bytes("NEXT\r\n");
        byte[] data = new byte[command.length + body.length + next.length];
        System.arraycopy(command, 0, data, 0, command.length);
        System.arraycopy(body, 0, data, command.length, body.length);
        System.arraycopy(next, 0, data, command.length + body.length, next.length);
        forEach(someDeliveries(data), input -> {
            assertLine(input.readLine(MAX), "BDAT 40000", true);
            byte[] read = new byte[body.length];
            int filled = 0;
            while (filled < read.length) {
                int n = input.read(read, filled, Math.min(20_000, read.length - filled));
                assertThat(n).isPositive();
                filled += n;
            }
            assertThat(read).isEqualTo(body);
            assertLine(input.readLine(MAX), "NEXT", true);
            assertThatThrownBy(() -> input.readLine(MAX)).isInstanceOf(EOFException.class);
        });
    }

    @Test
    void discardBufferedDropsExactlyWhatWasSentAheadOfTheCurrentLine() throws IOException {
        // what STARTTLS relies on: pipelined clear text after the command is gone, not read later
        LineInput input = new LineInput(new ByteArrayInputStream(bytes("STARTTLS\r\nECHO injected\r\n")));
        assertLine(input.readLine(MAX), "STARTTLS", true);
        assertThat(input.available()).isEqualTo("ECHO injected\r\n".length());
        assertThat(input.discardBuffered()).isEqualTo("ECHO injected\r\n".length());
        assertThat(input.available()).isZero();
        assertThatThrownBy(() -> input.readLine(100)).isInstanceOf(EOFException.class);
    }

    private static void assertLine(Line line, String text, boolean crlf) {
        assertThat(line.text()).isEqualTo(text);
        assertThat(line.crlf()).as("crlf of %s", text).isEqualTo(crlf);
        assertThat(line.hasBareCr()).as("bare CR in %s", text).isFalse();
    }

    private static void forEveryDelivery(String text, Check check) {
        forEach(ChunkedInputStream.everyDelivery(bytes(text)), check);
    }

    /** For inputs too big to cut at every offset: the sizes and cuts around the buffer's edges. */
    private static List<ChunkedInputStream> someDeliveries(byte[] data) {
        List<ChunkedInputStream> deliveries = new ArrayList<>();
        for (int n : new int[] {1, 2, 3, 7, 1000, 16_383, 16_384, 16_385, data.length}) {
            deliveries.add(ChunkedInputStream.atMost(data, n));
        }
        for (int cut : new int[] {1, 11, 12, 13, 16_383, 16_384, 16_385, 16_396, 32_768, data.length - 7,
            data.length - 6, data.length - 1}) {
            deliveries.add(ChunkedInputStream.cutAt(data, cut));
        }
        return deliveries;
    }

    private static void forEach(List<ChunkedInputStream> deliveries, Check check) {
        for (ChunkedInputStream delivery : deliveries) {
            try {
                check.run(new LineInput(delivery));
            } catch (AssertionError | IOException e) {
                throw new AssertionError("delivered " + delivery + ": " + e.getMessage(), e);
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}

package org.osprey.filter.spam.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.osprey.filter.Findings;
import org.osprey.filter.mail.ParsedMessage;

/**
 * Hostile input: randomly mutated messages (seeded, so a failure repeats) are parsed without an exception and no
 * rule throws on what comes out; a message read one byte at a time is parsed as when read at once.
 */
class MutatedMessagesTest {
    /** Pieces that steer the parser into its odd corners when spliced in. */
    private static final String[] SPLICES = {"\r\n", "\r\n\r\n", "--=_b1", "--=_b1--", "=?utf-8?b?", "?=", "=?x?q?",
        "<a href=\"", "\">", "<div style=\"display:none\">", "</", "Content-Type: multipart/mixed; boundary=",
        "Content-Transfer-Encoding: base64\r\n", "filename*0*=utf-8''%", "%E2%82", "=\r\n", "=ZZ", "\u00ff\u00fe",
        "http://", "[999.1.1.1]", ";", "\t", "\u0000", "<img src=x>", "<!--", "<![CDATA[", "&#x", "\u200b"};

    @Test
    void mutatedMessagesNeverThrow() {
        Random random = new Random(20261205L);
        byte[] base = RuleSetTest.newsletter().getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 1500; round++) {
            byte[] mutated = mutate(base, random);
            assertThatCode(() -> {
                ParsedMessage message = ParsedMessage.parse(new ByteArrayInputStream(mutated), 1 << 20);
                RuleContext context = new RuleContext(null, "", List.of(), message, TestMail.US);
                for (Rule rule : RuleSet.builtIn()) {
                    rule.evaluate(context, new Findings());
                }
                message.decodedHeader("Subject");
            }).as("round %d", round).doesNotThrowAnyException();
        }
    }

    private static byte[] mutate(byte[] base, Random random) {
        StringBuilder text = new StringBuilder(new String(base, StandardCharsets.ISO_8859_1));
        int edits = 1 + random.nextInt(8);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(text.length() + 1);
            switch (random.nextInt(4)) {
                case 0 -> text.insert(at, SPLICES[random.nextInt(SPLICES.length)]);
                case 1 -> text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(40)));
                case 2 -> {
                    if (at < text.length()) {
                        text.setCharAt(at, (char) random.nextInt(256));
                    }
                }
                default -> text.setLength(Math.min(text.length(), at + random.nextInt(200)));
            }
        }
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readingOneByteAtATimeGivesTheSameResult() throws IOException {
        byte[] message = RuleSetTest.newsletter().getBytes(StandardCharsets.UTF_8);
        ParsedMessage whole = ParsedMessage.parse(new ByteArrayInputStream(message), 1 << 20);
        ParsedMessage trickled = ParsedMessage.parse(new OneByteAtATime(message), 1 << 20);
        assertThat(trickled.header()).isEqualTo(whole.header());
        assertThat(trickled.textParts()).isEqualTo(whole.textParts());
        assertThat(trickled.links()).isEqualTo(whole.links());
        assertThat(trickled.attachments()).isEqualTo(whole.attachments());
        assertThat(trickled.problems()).isEqualTo(whole.problems());
        assertThat(trickled.html()).isEqualTo(whole.html());
        assertThat(whole.textParts()).hasSize(2);
        assertThat(whole.links()).hasSizeGreaterThan(4);
    }

    /** A stream that gives at most one byte per read, as a slow network would. */
    private static final class OneByteAtATime extends InputStream {
        private final byte[] bytes;
        private int position;

        OneByteAtATime(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int c = read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            return 1;
        }
    }
}

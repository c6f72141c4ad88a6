package org.osprey.imap.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ImapStringsTest {

    static String written(Consumer<ByteArrayOutputStream> write) {
        var out = new ByteArrayOutputStream();
        write.accept(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void nilAndNstring() {
        assertThat(written(ImapStrings::nil)).isEqualTo("NIL");
        assertThat(written(out -> ImapStrings.nstring(out, (String) null))).isEqualTo("NIL");
        assertThat(written(out -> ImapStrings.nstring(out, (byte[]) null))).isEqualTo("NIL");
        assertThat(written(out -> ImapStrings.nstring(out, "NIL"))).isEqualTo("\"NIL\"");
        assertThat(written(out -> ImapStrings.nstring(out, ""))).isEqualTo("\"\"");
    }

    @Test
    void quotedWhenPlainWithEscapes() {
        assertThat(written(out -> ImapStrings.string(out, "Lunch on Friday?"))).isEqualTo("\"Lunch on Friday?\"");
        assertThat(written(out -> ImapStrings.string(out, "say \"hi\" \\o/"))).isEqualTo("\"say \\\"hi\\\" \\\\o/\"");
        assertThat(written(out -> ImapStrings.string(out, "tab\there"))).isEqualTo("\"tab\there\"");
    }

    @Test
    void literalWhenNotPlain() {
        assertThat(written(out -> ImapStrings.string(out, "Grüße"))).isEqualTo("{7}\r\nGr\u00c3\u00bc\u00c3\u009fe");
        assertThat(written(out -> ImapStrings.string(out, "two\r\nlines"))).isEqualTo("{10}\r\ntwo\r\nlines");
        assertThat(written(out -> ImapStrings.string(out, "bell\u0007"))).isEqualTo("{5}\r\nbell\u0007");
        String longValue = "x".repeat(ImapStrings.MAX_QUOTED + 1);
        assertThat(written(out -> ImapStrings.string(out, longValue))).startsWith("{1001}\r\nxxx");
        assertThat(written(out -> ImapStrings.string(out, "x".repeat(ImapStrings.MAX_QUOTED)))).startsWith("\"xxx");
    }

    @Test
    void nulCannotTravelInALiteral() {
        assertThat(written(out -> ImapStrings.string(out, new byte[] {'a', 0, 'b', 0})))
                .isEqualTo("{4}\r\na\u0080b\u0080");
    }

    @Test
    void quotedRefusesWhatItCannotCarry() {
        assertThatThrownBy(() -> ImapStrings.quoted(new ByteArrayOutputStream(), "a\nb".getBytes()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void astring() {
        assertThat(written(out -> ImapStrings.astring(out, "INBOX"))).isEqualTo("INBOX");
        assertThat(written(out -> ImapStrings.astring(out, "Sent]Items"))).isEqualTo("Sent]Items");
        assertThat(written(out -> ImapStrings.astring(out, "Sent Items"))).isEqualTo("\"Sent Items\"");
        assertThat(written(out -> ImapStrings.astring(out, "a%b"))).isEqualTo("\"a%b\"");
        assertThat(written(out -> ImapStrings.astring(out, "a{b"))).isEqualTo("\"a{b\"");
        assertThat(written(out -> ImapStrings.astring(out, ""))).isEqualTo("\"\"");
        assertThat(written(out -> ImapStrings.astring(out, "nil"))).isEqualTo("\"nil\"");
        assertThat(written(out -> ImapStrings.astring(out, "Entwürfe"))).isEqualTo("{9}\r\nEntw\u00c3\u00bcrfe");
        assertThat(ImapStrings.isAtom("a]b".getBytes(), false)).isFalse();
        assertThat(ImapStrings.isAtom("a]b".getBytes(), true)).isTrue();
    }

    @Test
    void number() {
        assertThat(written(out -> ImapStrings.number(out, 4294967296L))).isEqualTo("4294967296");
    }

    @Test
    void everythingWrittenReadsBack() {
        var random = new java.util.Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] value = new byte[random.nextInt(40)];
            random.nextBytes(value);
            String written = written(out -> ImapStrings.string(out, value));
            byte[] expected = value.clone();
            for (int j = 0; j < expected.length; j++) {
                expected[j] = expected[j] == 0 ? (byte) 0x80 : expected[j];
            }
            var expectedCanonical = new ByteArrayOutputStream();
            ImapStrings.literal(expectedCanonical, expected);
            assertThat(ImapValue.canonical(written.getBytes(StandardCharsets.ISO_8859_1)))
                    .isEqualTo(ImapValue.canonical(expectedCanonical.toByteArray()));
        }
    }
}

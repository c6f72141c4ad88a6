package org.osprey.sieve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderEditorTest {
    private static final String MESSAGE = "Received: from a by b\r\nX-Hello: one\r\nSubject: s\r\nX-Hello: two\r\n"
            + " folded\r\nX-Hello: three\r\n\r\nBody line\r\n";

    private static String apply(String message, List<HeaderEdit> edits) throws IOException {
        try (InputStream in = HeaderEditor.apply(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)),
                edits)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void noEditsIsTheSameStream() throws IOException {
        assertThat(apply(MESSAGE, List.of())).isEqualTo(MESSAGE);
    }

    @Test
    void addsAtTheTopOrTheBottomAndKeepsEverythingElseByteForByte() throws IOException {
        String edited = apply(MESSAGE, List.of(new HeaderEdit.AddHeader("X-Top", "1", false),
                new HeaderEdit.AddHeader("X-Bottom", "2", true)));
        assertThat(edited).isEqualTo("X-Top: 1\r\n" + MESSAGE.replace("\r\n\r\nBody", "\r\nX-Bottom: 2\r\n\r\nBody"));
    }

    @Test
    void deletesByOccurrenceAsTheHeaderIsAtThatPoint() throws IOException {
        // RFC 5293 §7: delete the first, then the (new) second: the first and third of the original
        String edited = apply(MESSAGE, List.of(new HeaderEdit.DeleteHeader("x-hello", 1),
                new HeaderEdit.DeleteHeader("X-HELLO", 2)));
        assertThat(edited).isEqualTo("Received: from a by b\r\nSubject: s\r\nX-Hello: two\r\n folded\r\n\r\n"
                + "Body line\r\n");
        assertThat(apply(MESSAGE, List.of(new HeaderEdit.DeleteHeader("X-Hello", 9)))).isEqualTo(MESSAGE);
    }

    @Test
    void nonAsciiIsEncodedAndLongValuesFolded() throws IOException {
        String edited = apply(MESSAGE, List.of(new HeaderEdit.AddHeader("X-Note", "Grüße", false),
                new HeaderEdit.AddHeader("X-Long", "word ".repeat(30).strip(), false)));
        String[] lines = edited.split("\r\n");
        assertThat(lines[0]).startsWith("X-Long: word word").hasSizeLessThanOrEqualTo(78);
        assertThat(lines[1]).startsWith(" word");
        String note = java.util.Arrays.stream(lines).filter(l -> l.startsWith("X-Note:")).findFirst().orElseThrow();
        assertThat(note).startsWith("X-Note: =?").doesNotContain("ü");
        assertThat(org.osprey.sieve.message.HeaderText.decodeWords(note.substring(8))).isEqualTo("Grüße");
    }

    @Test
    void lfMessagesGetLfLines() throws IOException {
        String message = "Subject: s\nX-A: 1\n\nbody\n";
        assertThat(apply(message, List.of(new HeaderEdit.AddHeader("X-B", "2", true),
                new HeaderEdit.DeleteHeader("x-a", 1)))).isEqualTo("Subject: s\nX-B: 2\n\nbody\n");
    }

    @Test
    void aMessageWithoutBody() throws IOException {
        assertThat(apply("Subject: s", List.of(new HeaderEdit.AddHeader("X-B", "2", true))))
                .isEqualTo("Subject: s\r\nX-B: 2\r\n");
    }

    @Test
    void theInterpretersEditsTurnTheMessageIntoWhatTheScriptSaw() throws Exception {
        String script = """
                require ["editheader", "fileinto"];
                deleteheader :index 1 "X-Hello";
                deleteheader :index 2 "X-Hello";
                addheader :last "X-Filed" "yes";
                deleteheader :contains "subject" "s";
                """;
        byte[] bytes = MESSAGE.getBytes(StandardCharsets.UTF_8);
        SieveResult result = new SieveInterpreter().evaluate(new SieveCompiler().compile("edit", script),
                MessageContext.builder(MessageSource.of(bytes), bytes.length).build());
        assertThat(result.implicitKeep()).isTrue();
        String edited = apply(MESSAGE, result.editsFor(result.actions().size() - 1));
        assertThat(edited).isEqualTo("Received: from a by b\r\nX-Hello: two\r\n folded\r\nX-Filed: yes\r\n\r\n"
                + "Body line\r\n");
    }
}

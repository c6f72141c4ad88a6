package org.osprey.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every dialogue in src/test/resources/transcripts (format: {@link Transcript}) against the real stack. */
@ExtendWith(SharedSmtpStack.class)
class TranscriptTest {

    static List<String> transcripts() throws Exception {
        try (Stream<Path> files = Files.list(directory())) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt"))
                    .sorted().toList();
            assertThat(names).as("transcripts found").isNotEmpty();
            return names;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transcripts")
    void dialogueGoesAsWritten(String name, SmtpStack stack) throws Exception {
        Transcript.load(directory().resolve(name)).run(stack.port());
    }

    private static Path directory() throws URISyntaxException {
        return Path.of(TranscriptTest.class.getResource("/transcripts").toURI());
    }
}

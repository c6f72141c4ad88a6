package org.osprey.sieve;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The message being filtered, as a stream that can be opened more than once (the interpreter reads the header
 * once, and the body again only when a body test needs it). Lines end in CRLF; LF alone is accepted too.
 */
@FunctionalInterface
public interface MessageSource {
    InputStream open() throws IOException;

    static MessageSource of(byte[] message) {
        return () -> new ByteArrayInputStream(message);
    }

    static MessageSource of(Path file) {
        return () -> Files.newInputStream(file);
    }
}

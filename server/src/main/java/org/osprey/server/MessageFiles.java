package org.osprey.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The messages a path holds, for the commands that read mail from files: a Maildir folder (its cur/ and new/), a
 * directory of message files (one message each; hidden files skipped), an mbox file (split at "From " lines,
 * ">From " unquoted as mboxrd writes it), or one message file.
 */
final class MessageFiles {
    private static final int MAX_MESSAGE = 64 * 1024 * 1024;

    /** One message: where it came from, and its bytes. */
    record Message(String origin, byte[] bytes) {
        InputStream open() {
            return new ByteArrayInputStream(bytes);
        }
    }

    /** Receives the messages one by one, so a big mbox is never all in memory. */
    @FunctionalInterface
    interface Sink {
        void accept(Message message) throws IOException;
    }

    private MessageFiles() {
    }

    static void read(Path path, Sink sink) throws IOException {
        if (Files.isDirectory(path)) {
            boolean maildir = Files.isDirectory(path.resolve("cur")) || Files.isDirectory(path.resolve("new"));
            List<Path> files = new ArrayList<>();
            for (Path dir : maildir ? List.of(path.resolve("cur"), path.resolve("new")) : List.of(path)) {
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> list = Files.list(dir)) {
                    list.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                            .sorted().forEach(files::add);
                }
            }
            for (Path file : files) {
                sink.accept(new Message(file.toString(), readFile(file)));
            }
            return;
        }
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + ": no such file or directory");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            in.mark(5);
            byte[] start = in.readNBytes(5);
            in.reset();
            if (new String(start, StandardCharsets.US_ASCII).equals("From ")) {
                readMbox(path, in, sink);
            } else {
                sink.accept(new Message(path.toString(), readFile(path)));
            }
        }
    }

    private static byte[] readFile(Path file) throws IOException {
        if (Files.size(file) > MAX_MESSAGE) {
            throw new IOException(file + " is larger than " + MAX_MESSAGE / (1024 * 1024) + " MB");
        }
        return Files.readAllBytes(file);
    }

    private static void readMbox(Path path, InputStream in, Sink sink) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int count = 0;
        boolean started = false;
        int c;
        while (true) {
            c = in.read();
            if (c != -1) {
                line.write(c);
                if (c != '\n') {
                    continue;
                }
            }
            byte[] bytes = line.toByteArray();
            line.reset();
            if (isSeparator(bytes)) {
                if (started) {
                    sink.accept(new Message(path + "#" + ++count, message.toByteArray()));
                }
                message.reset();
                started = true;
            } else if (bytes.length > 0) {
                int offset = isQuotedFrom(bytes) ? 1 : 0;
                if (message.size() + bytes.length > MAX_MESSAGE) {
                    throw new IOException(path + ": message " + (count + 1) + " is too large");
                }
                message.write(bytes, offset, bytes.length - offset);
            }
            if (c == -1) {
                break;
            }
        }
        if (started) {
            sink.accept(new Message(path + "#" + ++count, message.toByteArray()));
        }
    }

    private static boolean isSeparator(byte[] line) {
        return line.length >= 5 && line[0] == 'F' && line[1] == 'r' && line[2] == 'o' && line[3] == 'm'
                && line[4] == ' ';
    }

    /** ">From ", ">>From "...: one '>' was added by the mboxrd writer. */
    private static boolean isQuotedFrom(byte[] line) {
        int i = 0;
        while (i < line.length && line[i] == '>') {
            i++;
        }
        return i > 0 && line.length >= i + 5 && line[i] == 'F' && line[i + 1] == 'r' && line[i + 2] == 'o'
                && line[i + 3] == 'm' && line[i + 4] == ' ';
    }
}

package org.osprey.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Quota usage kept in the Maildir++ "maildirsize" file, as Dovecot's maildir quota backend and Courier keep it:
 * the first line is the limit ("1073741824S"), every further line a change "bytes count". Deliveries append a
 * line; when the file grows past 5120 bytes or is missing it is recalculated from the folders. The file is a cache:
 * losing it costs a recount, never mail, so it is not fsync'd.
 */
public final class MaildirQuota {
    private static final String FILE = "maildirsize";
    private static final int RECALCULATE_ABOVE = 5120;

    private MaildirQuota() {
    }

    /** Current usage in bytes and messages. */
    public record Usage(long bytes, long messages) {
    }

    public static Usage usage(Path maildir) throws IOException {
        try {
            List<String> lines = Files.readAllLines(maildir.resolve(FILE), StandardCharsets.US_ASCII);
            long bytes = 0;
            long messages = 0;
            for (int i = 1; i < lines.size(); i++) {
                String[] parts = lines.get(i).trim().split("\\s+");
                if (parts.length != 2) {
                    return recalculate(maildir, 0);
                }
                bytes += Long.parseLong(parts[0]);
                messages += Long.parseLong(parts[1]);
            }
            return new Usage(Math.max(0, bytes), Math.max(0, messages));
        } catch (NoSuchFileException e) {
            return Files.isDirectory(maildir) ? recalculate(maildir, 0) : new Usage(0, 0);
        } catch (NumberFormatException e) {
            return recalculate(maildir, 0);
        }
    }

    /** Records a change (negative for expunges). */
    public static void add(Path maildir, long bytes, int messages, long limit) throws IOException {
        Path file = maildir.resolve(FILE);
        if (!Files.exists(file) || Files.size(file) > RECALCULATE_ABOVE) {
            recalculate(maildir, limit);
            return;
        }
        // O_APPEND writes of one short line are atomic, so concurrent deliveries never interleave.
        Files.writeString(file, bytes + " " + messages + "\n", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
    }

    /** Counts every message file of every folder and rewrites the file. */
    public static Usage recalculate(Path maildir, long limit) throws IOException {
        long bytes = 0;
        long messages = 0;
        if (!Files.isDirectory(maildir)) {
            return new Usage(0, 0);
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(maildir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean folder = name.equals("cur") || name.equals("new")
                        || (name.startsWith(".") && !name.equals(".") && !name.equals("..") && Files.isDirectory(entry));
                if (!folder) {
                    continue;
                }
                for (Path dir : name.startsWith(".") ? List.of(entry.resolve("cur"), entry.resolve("new"))
                        : List.of(entry)) {
                    if (!Files.isDirectory(dir)) {
                        continue;
                    }
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                        for (Path f : files) {
                            long size = MaildirNames.size(f.getFileName().toString());
                            bytes += size >= 0 ? size : sizeOrZero(f);
                            messages++;
                        }
                    }
                }
            }
        }
        Path tmp = maildir.resolve("tmp").resolve(FILE + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().threadId());
        Files.createDirectories(tmp.getParent());
        Files.writeString(tmp, limit + "S\n" + bytes + " " + messages + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, maildir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Usage(bytes, messages);
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // expunged while counting
        }
    }
}

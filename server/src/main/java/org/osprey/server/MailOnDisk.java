package org.osprey.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Deletes a mailbox's or a domain's files for --purge (its mail, and what the spam classifier learned for it); only
 * ever called after the directory row is gone.
 */
final class MailOnDisk {
    private MailOnDisk() {
    }

    static void delete(Path directory, PrintWriter out) throws CliException {
        if (!Files.exists(directory)) {
            out.println("no mail on disk at " + directory);
            return;
        }
        deleteTree(directory);
        out.println("deleted mail on disk at " + directory);
    }

    /** Deletes a user's or a domain's Bayes databases, if there are any. */
    static void deleteLearned(Optional<Path> directory, PrintWriter out) throws CliException {
        if (directory.isPresent() && Files.exists(directory.get())) {
            deleteTree(directory.get());
            out.println("deleted the spam classifier's data at " + directory.get());
        }
    }

    private static void deleteTree(Path directory) throws CliException {
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new CliException("removed from the directory, but could not delete " + directory + ": "
                    + e.getMessage());
        }
    }
}

package org.osprey.server;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * A random secret the server keeps across restarts (the SRS key): made on first start with mode 0600, then read.
 * Losing it only invalidates SRS addresses handed out before.
 */
final class SecretFile {
    private SecretFile() {
    }

    static byte[] load(Path file, int bytes) throws IOException {
        if (Files.exists(file)) {
            byte[] secret = Files.readAllBytes(file);
            if (secret.length >= 16) {
                return secret;
            }
            throw new IOException(file + " is too short to be a secret; delete it to make a new one");
        }
        byte[] secret = new byte[bytes];
        new SecureRandom().nextBytes(secret);
        Files.createDirectories(file.getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            return Files.readAllBytes(file); // made by a concurrent start
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.write(file, secret, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
        return secret;
    }
}

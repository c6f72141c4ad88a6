package org.osprey.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Maildir++ folders as Dovecot lays them out: INBOX is the Maildir itself, a folder "Sent" is the directory
 * ".Sent" beside cur/new/tmp (sub-folders ".Archive.2026"), each with its own cur/new/tmp and an empty
 * "maildirfolder" file; subscriptions are names, one per line, in the Maildir's "subscriptions" file.
 */
public final class Folders {
    public static final String INBOX = "INBOX";
    /** The folders every mailbox has from its first delivery, with their RFC 6154 special-use. */
    public static final List<String> DEFAULTS = List.of("Drafts", "Sent", "Junk", "Trash");

    private Folders() {
    }

    /** The directory of a folder inside a Maildir; "INBOX" (any case) is the Maildir itself. */
    public static Path path(Path maildir, String folder) {
        if (folder.equalsIgnoreCase(INBOX)) {
            return maildir;
        }
        if (folder.isEmpty() || folder.startsWith(".") || folder.contains("/") || folder.contains("..")
                || folder.indexOf(0) >= 0) {
            throw new IllegalArgumentException("invalid folder name");
        }
        return maildir.resolve("." + folder);
    }

    /**
     * Creates the Maildir with INBOX and the default folders and subscriptions, if they are missing. Safe to call
     * concurrently: whoever loses a race finds the directories made.
     */
    public static void ensureMailbox(Path maildir) throws IOException {
        if (Files.isDirectory(maildir.resolve("new")) && Files.isDirectory(maildir.resolve(".Trash/new"))) {
            return;
        }
        createMaildir(maildir);
        for (String folder : DEFAULTS) {
            Path dir = path(maildir, folder);
            createMaildir(dir);
            try {
                Files.createFile(dir.resolve("maildirfolder"));
            } catch (FileAlreadyExistsException ignored) {
                // made by a concurrent delivery
            }
        }
        Path subscriptions = maildir.resolve("subscriptions");
        if (!Files.exists(subscriptions)) {
            Path tmp = maildir.resolve("tmp").resolve("subscriptions." + ProcessHandle.current().pid() + "."
                    + Thread.currentThread().threadId());
            Files.writeString(tmp, String.join("\n", DEFAULTS) + "\n");
            Files.move(tmp, subscriptions, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Makes a folder (cur, new, tmp) if missing. */
    public static void createMaildir(Path dir) throws IOException {
        for (String sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(dir.resolve(sub));
        }
    }
}

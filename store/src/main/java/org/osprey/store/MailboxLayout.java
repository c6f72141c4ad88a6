package org.osprey.store;

import java.nio.file.Path;
import org.osprey.core.address.EmailAddress;

/**
 * Where a mailbox lives on disk, in the ISPmail layout that Dovecot also uses ({@code mail_location =
 * maildir:/var/vmail/%d/%n/Maildir}): {@code <root>/<domain>/<local part>/Maildir}. The user's home
 * ({@code <root>/<domain>/<local part>}) also holds Sieve scripts, beside the Maildir.
 */
public final class MailboxLayout {
    private final Path root;

    public MailboxLayout(Path root) {
        this.root = root;
    }

    /** The directory of all mailboxes of one domain. */
    public Path domainDirectory(String asciiDomain) {
        return safeChild(root, asciiDomain);
    }

    /** The user's home: the Maildir and the sieve directory live in it. */
    public Path home(EmailAddress address) {
        return safeChild(domainDirectory(address.domain()), address.localPart().toLowerCase(java.util.Locale.ROOT));
    }

    public Path maildir(EmailAddress address) {
        return home(address).resolve("Maildir");
    }

    /** Whose folder a folder directory is, and which folder: the reverse of {@link Folders#path}. */
    public record FolderOwner(String domain, String localPart, String folder) {
        public String address() {
            return localPart + "@" + domain;
        }
    }

    /** The owner of a folder directory under this layout's root, empty for a directory elsewhere. */
    public java.util.Optional<FolderOwner> owner(Path folderDir) {
        Path relative;
        try {
            relative = root.toAbsolutePath().normalize().relativize(folderDir.toAbsolutePath().normalize());
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
        int n = relative.getNameCount();
        if (n < 3 || relative.startsWith("..") || !relative.getName(2).toString().equals("Maildir")) {
            return java.util.Optional.empty();
        }
        String domain = relative.getName(0).toString();
        String local = relative.getName(1).toString();
        if (n == 3) {
            return java.util.Optional.of(new FolderOwner(domain, local, Folders.INBOX));
        }
        String name = relative.getName(3).toString();
        return n == 4 && name.startsWith(".") && name.length() > 1
                ? java.util.Optional.of(new FolderOwner(domain, local, name.substring(1)))
                : java.util.Optional.empty();
    }

    /** A name from an address must stay one path element below its parent, whatever characters it holds. */
    private static Path safeChild(Path parent, String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.indexOf(0) >= 0) {
            throw new IllegalArgumentException("cannot use \"" + name + "\" as a directory name");
        }
        return parent.resolve(name);
    }
}

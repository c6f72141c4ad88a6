package org.osprey.imap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.osprey.imap.parse.ModifiedUtf7;
import org.osprey.store.Folders;

/**
 * One user's folders as IMAP names them, on a Maildir++ layout as Dovecot keeps it: INBOX is the Maildir, every
 * other folder a ".Name" directory, the hierarchy separator is ".", names are stored in modified UTF-7, the
 * subscriptions in the "subscriptions" file (one name per line). Special-use attributes (RFC 6154) come from the
 * usual names (Drafts, Sent, Junk, Trash, Archive) and from CREATE-SPECIAL-USE, kept in "osprey-special-use".
 */
final class Mailboxes {
    static final char SEPARATOR = '.';
    static final String SUBSCRIPTIONS = "subscriptions";
    static final String SPECIAL_USE_FILE = "osprey-special-use";
    static final Set<String> SPECIAL_USES =
            Set.of("\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash");
    private static final Map<String, String> USUAL_NAMES = Map.of(
            "Drafts", "\\Drafts", "Sent", "\\Sent", "Junk", "\\Junk", "Trash", "\\Trash", "Archive", "\\Archive");
    private static final int MAX_NAME_LENGTH = 200;

    private final Path maildir;

    Mailboxes(Path maildir) {
        this.maildir = maildir;
    }

    Path maildir() {
        return maildir;
    }

    /** The directory of a folder, which may not exist; a name Maildir++ cannot hold is refused. */
    Path directory(String name) throws ImapException {
        if (name.equalsIgnoreCase(Folders.INBOX)) {
            return maildir;
        }
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0
                || name.charAt(0) == SEPARATOR || name.charAt(name.length() - 1) == SEPARATOR
                || name.contains("..") || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                || name.contains("*") || name.contains("%")) {
            throw ImapException.no("CANNOT", "Invalid mailbox name");
        }
        try {
            return Folders.path(maildir, ModifiedUtf7.encode(name));
        } catch (IllegalArgumentException e) {
            throw ImapException.no("CANNOT", "Invalid mailbox name");
        }
    }

    boolean exists(String name) throws ImapException {
        return Files.isDirectory(directory(name).resolve("cur"));
    }

    /** The folder's directory if the folder exists, else NO [NONEXISTENT] (or [TRYCREATE] for a target). */
    Path existing(String name, boolean target) throws ImapException {
        Path dir = directory(name);
        if (!Files.isDirectory(dir.resolve("cur"))) {
            throw ImapException.no(target ? "TRYCREATE" : "NONEXISTENT", "Mailbox doesn't exist: " + printable(name));
        }
        return dir;
    }

    /** Every existing folder, INBOX first, then by name. */
    List<String> all() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(maildir, ".*")) {
            for (Path dir : dirs) {
                String fileName = dir.getFileName().toString();
                if (fileName.length() < 2 || fileName.equals("..") || !Files.isDirectory(dir.resolve("cur"))) {
                    continue;
                }
                String encoded = fileName.substring(1);
                names.add(ModifiedUtf7.isValid(encoded) ? ModifiedUtf7.decode(encoded) : encoded);
            }
        } catch (NoSuchFileException e) {
            return List.of(Folders.INBOX);
        }
        names.removeIf(n -> n.equalsIgnoreCase(Folders.INBOX));
        List<String> result = new ArrayList<>(names.size() + 1);
        result.add(Folders.INBOX);
        result.addAll(names);
        return result;
    }

    void create(String name, List<String> specialUse) throws ImapException, IOException {
        if (name.equalsIgnoreCase(Folders.INBOX) || exists(name)) {
            throw ImapException.no("ALREADYEXISTS", "Mailbox already exists");
        }
        for (String use : specialUse) {
            if (!SPECIAL_USES.contains(use)) {
                throw ImapException.no("USEATTR", "Unsupported special-use attribute " + use);
            }
        }
        Path dir = directory(name);
        Folders.createMaildir(dir);
        try {
            Files.createFile(dir.resolve("maildirfolder"));
        } catch (FileAlreadyExistsException ignored) {
            // created concurrently
        }
        if (!specialUse.isEmpty()) {
            Map<String, String> uses = storedSpecialUses();
            uses.put(name, String.join(" ", specialUse));
            writeSpecialUses(uses);
        }
    }

    /** Deletes a folder and its messages; its sub-folders stay (Maildir++ keeps them apart, as Dovecot does). */
    void delete(String name) throws ImapException, IOException {
        if (name.equalsIgnoreCase(Folders.INBOX)) {
            throw ImapException.no("CANNOT", "INBOX can't be deleted");
        }
        Path dir = existing(name, false);
        // rename first so that a crash halfway never leaves half a folder visible under its name
        Path doomed = maildir.resolve("tmp").resolve("deleted." + System.nanoTime() + "." + dir.getFileName());
        Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(doomed);
        Map<String, String> uses = storedSpecialUses();
        if (uses.remove(name) != null) {
            writeSpecialUses(uses);
        }
    }

    /** Renames a folder and every folder below it. INBOX is handled by the caller (it moves messages instead). */
    void rename(String from, String to) throws ImapException, IOException {
        Path source = existing(from, false);
        if (to.equalsIgnoreCase(Folders.INBOX) || exists(to)) {
            throw ImapException.no("ALREADYEXISTS", "Target mailbox already exists");
        }
        Path target = directory(to);
        List<String> children = all().stream().filter(n -> n.startsWith(from + SEPARATOR)).toList();
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        for (String child : children) {
            Path childTarget = directory(to + child.substring(from.length()));
            if (!Files.exists(childTarget)) {
                Files.move(directory(child), childTarget, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Map<String, String> uses = storedSpecialUses();
        String use = uses.remove(from);
        if (use != null) {
            uses.put(to, use);
            writeSpecialUses(uses);
        }
    }

    /** The directories a rename of {@code name} moves: its own and its children's. */
    List<Path> directoriesUnder(String name) throws ImapException, IOException {
        List<Path> dirs = new ArrayList<>();
        dirs.add(directory(name));
        for (String child : all()) {
            if (child.startsWith(name + SEPARATOR)) {
                dirs.add(directory(child));
            }
        }
        return dirs;
    }

    /** RFC 6154 attributes of a folder: stored ones, else those of its usual name. */
    Set<String> specialUse(String name) throws IOException {
        String stored = storedSpecialUses().get(name);
        if (stored != null) {
            return new LinkedHashSet<>(List.of(stored.split(" ")));
        }
        String usual = USUAL_NAMES.get(name);
        return usual == null ? Set.of() : Set.of(usual);
    }

    Set<String> subscriptions() throws IOException {
        Path file = maildir.resolve(SUBSCRIPTIONS);
        Set<String> result = new LinkedHashSet<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return result;
        }
        for (String line : lines) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("V\t")) {
                continue;
            }
            result.add(ModifiedUtf7.isValid(name) ? ModifiedUtf7.decode(name) : name);
        }
        return result;
    }

    void subscribe(String name, boolean subscribe) throws IOException {
        Set<String> names = subscriptions();
        boolean changed = subscribe ? names.add(name) : names.remove(name);
        if (changed) {
            List<String> encoded = names.stream().map(ModifiedUtf7::encode).toList();
            writeAtomically(maildir.resolve(SUBSCRIPTIONS), String.join("\n", encoded) + (encoded.isEmpty() ? "" : "\n"));
        }
    }

    private Map<String, String> storedSpecialUses() throws IOException {
        Map<String, String> uses = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(maildir.resolve(SPECIAL_USE_FILE), StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    uses.put(line.substring(tab + 1), line.substring(0, tab));
                }
            }
        } catch (NoSuchFileException e) {
            // none made with CREATE-SPECIAL-USE
        }
        return uses;
    }

    private void writeSpecialUses(Map<String, String> uses) throws IOException {
        StringBuilder text = new StringBuilder();
        uses.forEach((name, use) -> text.append(use).append('\t').append(name).append('\n'));
        writeAtomically(maildir.resolve(SPECIAL_USE_FILE), text.toString());
    }

    private void writeAtomically(Path file, String text) throws IOException {
        Path tmp = maildir.resolve("tmp").resolve(file.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().threadId());
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Matches LIST patterns (RFC 3501 §6.3.8): "*" matches anything, "%" anything but the separator; INBOX in
     * any case matches INBOX.
     */
    static Pattern pattern(String reference, String pattern) {
        String full = reference.isEmpty() || pattern.startsWith(reference) ? reference + pattern : reference + pattern;
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < full.length(); i++) {
            char c = full.charAt(i);
            if (c == '*') {
                regex.append(".*");
            } else if (c == '%') {
                regex.append("[^").append(Pattern.quote(String.valueOf(SEPARATOR))).append("]*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    static boolean matches(Pattern pattern, String name) {
        if (pattern.matcher(name).matches()) {
            return true;
        }
        // INBOX is case-insensitive, also as the start of its children's names
        if (name.regionMatches(true, 0, Folders.INBOX, 0, 5) && (name.length() == 5 || name.charAt(5) == SEPARATOR)) {
            return pattern.matcher(Folders.INBOX + name.substring(5)).matches()
                    || pattern.matcher(name.substring(0, 5).toLowerCase(Locale.ROOT) + name.substring(5)).matches();
        }
        return false;
    }

    /** Names made only of the parents of existing folders (Maildir++ may hold "a.b" without "a"). */
    static Set<String> impliedParents(Collection<String> names) {
        Set<String> existing = Set.copyOf(names);
        Set<String> parents = new TreeSet<>();
        for (String name : names) {
            int dot = name.lastIndexOf(SEPARATOR);
            while (dot > 0) {
                String parent = name.substring(0, dot);
                if (!existing.contains(parent)) {
                    parents.add(parent);
                }
                dot = parent.lastIndexOf(SEPARATOR);
            }
        }
        return parents;
    }

    static boolean hasChildren(String name, Collection<String> all) {
        String prefix = name + SEPARATOR;
        for (String other : all) {
            if (other.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    static String printable(String name) {
        return name.length() > 100 ? name.substring(0, 100) + "..." : name;
    }

    static Optional<String> usualName(String specialUse) {
        return USUAL_NAMES.entrySet().stream().filter(e -> e.getValue().equals(specialUse)).map(Map.Entry::getKey)
                .findFirst();
    }
}

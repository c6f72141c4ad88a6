package org.osprey.sieve.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.io.DirectorySync;
import org.osprey.sieve.store.ScriptStoreException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Sieve scripts of each user, kept on disk exactly as Dovecot Pigeonhole's file storage keeps them with
 * ISPmail's setting {@code sieve = file:~/sieve;active=~/.dovecot.sieve}, so either program can take over the
 * other's files:
 * <ul>
 *   <li>{@code <home>/sieve/NAME.sieve} is the script NAME (UTF-8), where home is the directory that holds the
 *       user's {@code Maildir};</li>
 *   <li>{@code <home>/.dovecot.sieve} is a symbolic link to the active script, relative as Pigeonhole makes it:
 *       {@code sieve/NAME.sieve}. Links written by Dovecot with an absolute or {@code ./} path into the same
 *       directory are read as well. A link that points anywhere else, or at a missing file, means no script is
 *       active (Pigeonhole treats such a link as broken too) and is replaced by the next activation;</li>
 *   <li>a regular file {@code <home>/.dovecot.sieve} is a "legacy" active script from before ManageSieve was used:
 *       {@link #activeScript} runs it (with the empty name), {@link #list} does not show it because it is not in
 *       the storage, and the first {@link #setActive} (activating or deactivating) first copies it into the storage
 *       as {@code dovecot.orig} (the name Pigeonhole gives it; {@code dovecot.orig-2}... if that is taken), so it is
 *       never lost.</li>
 * </ul>
 * Every write is atomic and durable: a new script is written to {@code sieve/tmp/}, fsync'd and renamed over the
 * old one; the active link is replaced by renaming a new link over it; the directory is fsync'd after each change.
 * A delivery reading {@link #activeScript} concurrently therefore sees the old or the new state, never a partial
 * one, and needs no lock. Changes of one user are serialized in this process (two ManageSieve sessions of one user,
 * webmail), so limit checks and renames cannot race each other. Scripts Pigeonhole compiled ({@code NAME.svbin})
 * are removed with their script so a stale binary is never used by a Dovecot that takes over again.
 */
public final class ScriptStore {
    private static final Logger log = LoggerFactory.getLogger(ScriptStore.class);

    /** The directory of a user's scripts, inside the home. */
    public static final String SCRIPT_DIRECTORY = "sieve";
    /** The link to the active script, inside the home. */
    public static final String ACTIVE_LINK = ".dovecot.sieve";
    /** What a legacy active file is called once it is moved into the storage. */
    public static final String LEGACY_NAME = "dovecot.orig";
    static final String EXTENSION = ".sieve";
    private static final String BINARY_EXTENSION = ".svbin";
    private static final String TEMP_DIRECTORY = "tmp";
    /** RFC 5804 §1.6: servers must allow at least 128 characters; more would not fit a file name in UTF-8. */
    public static final int MAX_NAME_CHARACTERS = 128;
    /** With ".sieve" or ".svbin" appended, a name must stay under the 255-octet file name limit of Linux. */
    private static final int MAX_NAME_OCTETS = 240;
    private static final int LOCK_STRIPES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    /**
     * What a user may store. Pigeonhole has no limits by default ({@code sieve_max_script_size},
     * {@code sieve_quota_max_scripts}, {@code sieve_quota_max_storage} all unlimited); Osprey picks limits no
     * hand-written or webmail-generated rule set comes near, but that keep one account from filling the disk.
     *
     * @param maxScriptSize octets of one script
     * @param maxScripts    number of scripts
     * @param maxStorage    octets of all scripts together
     */
    public record Limits(long maxScriptSize, int maxScripts, long maxStorage) {
        /** 256 KiB per script, 100 scripts, 1 MiB in all. */
        public static final Limits DEFAULT = new Limits(256 * 1024, 100, 1024 * 1024);

        public Limits {
            if (maxScriptSize <= 0 || maxScripts <= 0 || maxStorage <= 0) {
                throw new IllegalArgumentException("script limits must be positive");
            }
        }

        /** Refuses one script of {@code size} octets, whatever else is stored (QUOTA_MAXSIZE). */
        public void checkScriptSize(long size) throws ScriptStoreException {
            if (size > maxScriptSize) {
                throw new ScriptStoreException(Reason.QUOTA_MAXSIZE,
                        "Script is too large (max " + octets(maxScriptSize) + ")");
            }
        }
    }

    /** One script of a listing. */
    public record ScriptInfo(String name, boolean active) {
    }

    /** The script a delivery runs; {@code name} is empty for a legacy {@code .dovecot.sieve} regular file. */
    public record ActiveScript(String name, String text) {
    }

    private final Function<EmailAddress, Path> homes;
    private final Limits limits;
    private final DirectorySync sync = new DirectorySync();
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    /**
     * @param homes the home directory of a user (the directory holding the Maildir), e.g. {@code MailboxLayout::home}
     */
    public ScriptStore(Function<EmailAddress, Path> homes, Limits limits) {
        this.homes = homes;
        this.limits = limits;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Refuses names RFC 5804 §1.6 forbids (empty, control characters, U+2028/U+2029) and names that would not be one
     * plain file name: containing "/", starting with "." (hidden files, "." and ".."), or too long.
     */
    public static void validateName(String name) throws ScriptStoreException {
        if (name.isEmpty()) {
            throw invalid("Script name is empty");
        }
        if (name.codePointCount(0, name.length()) > MAX_NAME_CHARACTERS
                || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_OCTETS) {
            throw invalid("Script name is too long");
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            if (c <= 0x1f || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
                throw invalid("Script name contains a control character");
            }
            if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                throw invalid("Script name is not valid Unicode"); // a lone surrogate: no UTF-8 file name for it
            }
            i += Character.charCount(c);
        }
        if (name.indexOf('/') >= 0) {
            throw invalid("Script name contains \"/\"");
        }
        if (name.charAt(0) == '.') {
            throw invalid("Script name starts with \".\"");
        }
    }

    /** The user's scripts sorted by name, the active one marked. */
    public List<ScriptInfo> list(EmailAddress user) throws IOException {
        Path home = home(user);
        ReentrantLock lock = lock(home);
        lock.lock();
        try {
            String active = activeName(home).orElse(null);
            List<ScriptInfo> out = new ArrayList<>();
            for (String name : scan(home).keySet()) {
                out.add(new ScriptInfo(name, name.equals(active)));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The text of a script; malformed UTF-8 in a file written by someone else becomes U+FFFD. */
    public Optional<String> get(EmailAddress user, String name) throws IOException, ScriptStoreException {
        validateName(name);
        Path file = scriptFile(home(user), name);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(readText(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Throws when storing a script of {@code size} octets as {@code name} would go over a limit (RFC 5804 HAVESPACE):
     * replacing a script counts only the difference in size and not as one more script.
     */
    public void haveSpace(EmailAddress user, String name, long size) throws IOException, ScriptStoreException {
        validateName(name);
        Path home = home(user);
        ReentrantLock lock = lock(home);
        lock.lock();
        try {
            checkSpace(scan(home), name, size);
        } finally {
            lock.unlock();
        }
    }

    /** Stores (or replaces) a script atomically; a replaced active script stays active. */
    public void put(EmailAddress user, String name, String text) throws IOException, ScriptStoreException {
        validateName(name);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Path home = home(user);
        ReentrantLock lock = lock(home);
        lock.lock();
        try {
            checkSpace(scan(home), name, bytes.length);
            Path dir = scriptDirectory(home);
            writeAtomically(dir, scriptFile(home, name), bytes);
            Files.deleteIfExists(dir.resolve(name + BINARY_EXTENSION));
        } finally {
            lock.unlock();
        }
    }

    /** Renames a script; when it is the active one, the active link follows without a moment of no active script. */
    public void rename(EmailAddress user, String from, String to) throws IOException, ScriptStoreException {
        validateName(from);
        validateName(to);
        Path home = home(user);
        ReentrantLock lock = lock(home);
        lock.lock();
        try {
            Path source = scriptFile(home, from);
            Path target = scriptFile(home, to);
            if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                throw new ScriptStoreException(Reason.NONEXISTENT, "There is no script by that name");
            }
            if (from.equals(to)) {
                return;
            }
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new ScriptStoreException(Reason.ALREADY_EXISTS, "A script by the new name already exists");
            }
            boolean active = activeName(home).filter(from::equals).isPresent();
            Path dir = scriptDirectory(home);
            // A second name first (which fails rather than replace a file that appeared meanwhile), then the link
            // moves to it, then the old name goes: a delivery finds the active script at every moment.
            boolean linked;
            try {
                Files.createLink(target, source);
                linked = true;
            } catch (FileAlreadyExistsException e) {
                throw new ScriptStoreException(Reason.ALREADY_EXISTS, "A script by the new name already exists");
            } catch (UnsupportedOperationException | FileSystemException e) {
                linked = false; // no hard links on this file system: rename, then move the link
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            }
            sync.sync(dir);
            if (active) {
                pointActiveLink(home, to);
            }
            if (linked) {
                Files.delete(source);
            }
            Files.deleteIfExists(dir.resolve(from + BINARY_EXTENSION));
            sync.sync(dir);
        } finally {
            lock.unlock();
        }
    }

    /** Deletes a script; the active one is refused (RFC 5804 §2.10). */
    public void delete(EmailAddress user, String name) throws IOException, ScriptStoreException {
        validateName(name);
        Path home = home(user);
        ReentrantLock lock = lock(home);
        lock.lock();
        try {
            Path file = scriptFile(home, name);
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new ScriptStoreException(Reason.NONEXISTENT, "There is no script by that name");
            }
            if (activeName(home).filter(name::equals).isPresent()) {
                throw new ScriptStoreException(Reason.ACTIVE, "The active script cannot be deleted");
            }
            Files.delete(file);
            Path dir = scriptDirectory(home);
            Files.deleteIfExists(dir.resolve(name + BINARY_EXTENSION));
            sync.sync(dir);
        } finally {
            lock.unlock();
        }
    }

    /** Makes {@code name} the active script, or deactivates Sieve for the user when {@code name} is empty. */
    public void setActive(EmailAddress user, String name) throws IOException, ScriptStoreException {
        if (!name.isEmpty()) {
            validateName(name);
        }
        Path home = home(user);
        ReentrantLock lock = lock(home);
        lock.lock();
        try {
            if (!name.isEmpty() && !Files.isRegularFile(scriptFile(home, name), LinkOption.NOFOLLOW_LINKS)) {
                throw new ScriptStoreException(Reason.NONEXISTENT, "There is no script by that name");
            }
            rescueLegacyScript(home);
            if (name.isEmpty()) {
                if (Files.deleteIfExists(home.resolve(ACTIVE_LINK))) {
                    sync.sync(home);
                }
            } else {
                pointActiveLink(home, name);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The script a delivery should run, if any: the target of a valid active link, or a legacy regular file.
     * Reads without the user's lock: every change is a rename, so this sees a whole old or a whole new state.
     */
    public Optional<ActiveScript> activeScript(EmailAddress user) throws IOException {
        Path home = home(user);
        Path link = home.resolve(ACTIVE_LINK);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(link, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (attributes.isRegularFile()) {
            return Optional.of(new ActiveScript("", readText(link)));
        }
        // A rename moves the link to a new name and then removes the old one: when the file named by the link is
        // gone, the link is read once more before it counts as broken.
        for (int attempt = 0; ; attempt++) {
            Optional<String> name = activeName(home);
            if (name.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new ActiveScript(name.get(), readText(scriptFile(home, name.get()))));
            } catch (NoSuchFileException e) {
                if (attempt > 0) {
                    return Optional.empty(); // a broken link, as Pigeonhole treats it: no active script
                }
            }
        }
    }

    // ---- internals

    private Path home(EmailAddress user) {
        return homes.apply(user).toAbsolutePath().normalize();
    }

    private ReentrantLock lock(Path home) {
        return locks[Math.floorMod(home.hashCode(), LOCK_STRIPES)];
    }

    private static Path scriptDirectory(Path home) {
        return home.resolve(SCRIPT_DIRECTORY);
    }

    private static Path scriptFile(Path home, String name) {
        return scriptDirectory(home).resolve(name + EXTENSION);
    }

    private static String readText(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** Name to size of every script in the storage; files that are not scripts with a valid name are skipped. */
    private static Map<String, Long> scan(Path home) throws IOException {
        Map<String, Long> scripts = new TreeMap<>();
        Path dir = scriptDirectory(home);
        if (!Files.isDirectory(dir)) {
            return scripts;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String file = entry.getFileName().toString();
                if (!file.endsWith(EXTENSION)) {
                    continue;
                }
                String name = file.substring(0, file.length() - EXTENSION.length());
                if (!validName(name)) {
                    continue;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(entry, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile()) {
                        scripts.put(name, a.size());
                    }
                } catch (NoSuchFileException e) {
                    // deleted meanwhile by someone else
                }
            }
        }
        return scripts;
    }

    private void checkSpace(Map<String, Long> scripts, String name, long size) throws ScriptStoreException {
        limits.checkScriptSize(size);
        Long existing = scripts.get(name);
        if (existing == null && scripts.size() + 1 > limits.maxScripts()) {
            throw new ScriptStoreException(Reason.QUOTA_MAXSCRIPTS,
                    "Too many scripts (max " + limits.maxScripts() + ")");
        }
        long total = scripts.values().stream().mapToLong(Long::longValue).sum();
        if (total - (existing == null ? 0 : existing) + size > limits.maxStorage()) {
            throw new ScriptStoreException(Reason.QUOTA_STORAGE,
                    "Script storage is full (max " + octets(limits.maxStorage()) + " for all scripts)");
        }
    }

    /** The name of the active script when the active link is a link into the storage; empty otherwise. */
    private static Optional<String> activeName(Path home) throws IOException {
        Path link = home.resolve(ACTIVE_LINK);
        Path target;
        try {
            target = Files.readSymbolicLink(link);
        } catch (NoSuchFileException | java.nio.file.NotLinkException e) {
            return Optional.empty();
        }
        Path resolved = home.resolve(target).normalize();
        Path fileName = resolved.getFileName();
        Path parent = resolved.getParent();
        if (fileName == null || parent == null || !fileName.toString().endsWith(EXTENSION)) {
            return broken(link, target);
        }
        String file = fileName.toString();
        String name = file.substring(0, file.length() - EXTENSION.length());
        if (!validName(name)) {
            return broken(link, target);
        }
        Path dir = scriptDirectory(home);
        if (parent.equals(dir)) {
            return Optional.of(name);
        }
        try {
            // an absolute link through another path to the same directory (/var/vmail itself a link, a bind mount)
            if (Files.isSameFile(parent, dir)) {
                return Optional.of(name);
            }
        } catch (IOException e) {
            // one of them does not exist: not the storage
        }
        return broken(link, target);
    }

    private static Optional<String> broken(Path link, Path target) {
        log.warn("sieve: active script link {} points outside the script storage ({}); no script is active",
                link, target);
        return Optional.empty();
    }

    private static boolean validName(String name) {
        try {
            validateName(name);
            return true;
        } catch (ScriptStoreException e) {
            return false;
        }
    }

    /** Replaces the active link by a new one to {@code name}, atomically (rename of a new link over it). */
    private void pointActiveLink(Path home, String name) throws IOException {
        Path link = home.resolve(ACTIVE_LINK);
        Path temporary = home.resolve(ACTIVE_LINK + "." + randomHex() + ".tmp");
        Files.createSymbolicLink(temporary, Path.of(SCRIPT_DIRECTORY, name + EXTENSION));
        try {
            Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        sync.sync(home);
    }

    /**
     * A regular file at the active path is a script from before the storage was used: copy it into the storage
     * before the active path is replaced or removed, under a name no other script has.
     */
    private void rescueLegacyScript(Path home) throws IOException {
        Path active = home.resolve(ACTIVE_LINK);
        if (!Files.isRegularFile(active, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String name = LEGACY_NAME;
        for (int n = 2; Files.exists(scriptFile(home, name), LinkOption.NOFOLLOW_LINKS); n++) {
            name = LEGACY_NAME + "-" + n;
        }
        writeAtomically(scriptDirectory(home), scriptFile(home, name), Files.readAllBytes(active));
        log.info("sieve: moved the active script file {} into the script storage as \"{}\"", active, name);
    }

    /** Writes a temporary file in {@code dir/tmp}, fsyncs it, renames it to {@code target}, fsyncs {@code dir}. */
    private void writeAtomically(Path dir, Path target, byte[] bytes) throws IOException {
        Path temporaryDir = dir.resolve(TEMP_DIRECTORY);
        createDirectories(temporaryDir);
        Path temporary = temporaryDir.resolve(randomHex() + ".sieve.tmp");
        try {
            try (FileChannel channel = open(temporary)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                DirectorySync.syncFile(channel);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename within " + dir + ": " + e.getMessage(), e);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        sync.sync(dir);
    }

    private static FileChannel open(Path file) throws IOException {
        var options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return FileChannel.open(file, options, PRIVATE_FILE);
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(file, options); // not a POSIX file system
        }
    }

    private static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PRIVATE_DIRECTORY);
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    private static String randomHex() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** "256 KiB", "1 MiB", "1000 octets": limits as people read them. */
    static String octets(long n) {
        if (n >= 1024 * 1024 && n % (1024 * 1024) == 0) {
            return n / (1024 * 1024) + " MiB";
        }
        if (n >= 1024 && n % 1024 == 0) {
            return n / 1024 + " KiB";
        }
        return n + " octets";
    }

    private static ScriptStoreException invalid(String message) {
        return new ScriptStoreException(Reason.INVALID_NAME, message);
    }
}

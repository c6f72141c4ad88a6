package org.osprey.store.index;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.osprey.core.io.DirectorySync;

/**
 * A folder's keyword table: which IMAP keyword the file-name letter a, b, … z stands for. It lives where Dovecot
 * keeps it, in the folder's {@code dovecot-keywords} file ({@code <index> <keyword>} per line, index 0 = 'a'), so
 * Dovecot and Osprey read the same letters the same way. A Maildir file name has room for 26 keyword letters; a
 * folder that has used them all can take no new keyword (IMAP then leaves {@code \*} out of PERMANENTFLAGS).
 * Immutable: defining a keyword makes a new table. Keywords match case-insensitively, keeping the first spelling.
 */
public final class Keywords {
    public static final String FILE = "dovecot-keywords";
    public static final int MAX = 26;
    public static final Keywords EMPTY = new Keywords(new String[MAX]);

    private final String[] names;

    private Keywords(String[] names) {
        this.names = names;
    }

    /** The keyword for letter index 0–25, or null when that letter is not defined. */
    public String name(int index) {
        return index >= 0 && index < MAX ? names[index] : null;
    }

    /** The letter index of a keyword, or -1. */
    public int indexOf(String keyword) {
        for (int i = 0; i < MAX; i++) {
            if (names[i] != null && names[i].equalsIgnoreCase(keyword)) {
                return i;
            }
        }
        return -1;
    }

    /** Every defined keyword, in letter order (for the FLAGS and PERMANENTFLAGS responses). */
    public java.util.List<String> all() {
        return Arrays.stream(names).filter(java.util.Objects::nonNull).toList();
    }

    /** Flag bits of the letters no keyword is defined for (another program's, or stray). */
    public int unnamedMask() {
        int mask = 0;
        for (int i = 0; i < MAX; i++) {
            if (names[i] == null) {
                mask |= 1 << i;
            }
        }
        return mask;
    }

    public boolean isFull() {
        return Arrays.stream(names).allMatch(java.util.Objects::nonNull);
    }

    /**
     * A table with {@code keyword} added at the first free letter that is not in {@code avoid} (flag bits of
     * letters that files carry without a name: giving one a name would put the keyword on those messages); fails
     * when no letter is left.
     */
    public Keywords with(String keyword, int avoid) {
        MaildirFlags.checkKeyword(keyword);
        if (indexOf(keyword) >= 0) {
            return this;
        }
        for (int i = 0; i < MAX; i++) {
            if (names[i] == null && (avoid & (1 << i)) == 0) {
                String[] copy = names.clone();
                copy[i] = keyword;
                return new Keywords(copy);
            }
        }
        throw new IllegalArgumentException("this folder has no room for more keywords (a Maildir name holds "
                + MAX + ")");
    }

    /** Reads the folder's table; a missing file is an empty table, lines that do not parse are skipped. */
    public static Keywords read(Path folderDir) throws IOException {
        String text;
        try {
            text = Files.readString(folderDir.resolve(FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return EMPTY;
        }
        String[] names = new String[MAX];
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space <= 0) {
                continue;
            }
            try {
                int index = Integer.parseInt(line.substring(0, space));
                String name = line.substring(space + 1).strip();
                if (index >= 0 && index < MAX && !name.isEmpty()) {
                    names[index] = name;
                }
            } catch (NumberFormatException e) {
                // Dovecot writes only "<n> <name>"; anything else is not ours to interpret
            }
        }
        return new Keywords(names);
    }

    /**
     * Replaces the folder's file atomically and durably (write beside, fsync, rename, fsync the folder), so a
     * file name never carries a letter whose meaning could be lost in a crash.
     */
    public void write(Path folderDir, DirectorySync directorySync) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < MAX; i++) {
            if (names[i] != null) {
                text.append(i).append(' ').append(names[i]).append('\n');
            }
        }
        Path tmp = folderDir.resolve(FILE + ".osprey-tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            DirectorySync.syncFile(channel);
        }
        Files.move(tmp, folderDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        directorySync.sync(folderDir);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Keywords other && Arrays.equals(names, other.names);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names);
    }

    @Override
    public String toString() {
        return all().toString();
    }
}

package org.osprey.store.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.osprey.store.Folders;

/** Test helpers: Maildir folders and message files written the way other programs write them. */
final class Maildirs {
    private Maildirs() {
    }

    static Path folder(Path parent, String name) throws IOException {
        Path dir = parent.resolve(name);
        Folders.createMaildir(dir);
        return dir;
    }

    /** A message file in new/ or cur/ ("cur/1700000001.M1P1Q1.host,S=20,W=22:2,S"), with LF content. */
    static Path put(Path folder, String relative, String content) throws IOException {
        Path file = folder.resolve(relative);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    /** A message named with correct S= and W= sizes for its content; returns the base name. */
    static String deliver(Path folder, String sub, long seconds, int n, String content, String info)
            throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        long lines = content.chars().filter(c -> c == '\n').count();
        String base = seconds + ".M" + n + "P4242Q" + n + ".test.example,S=" + bytes.length + ",W="
                + (bytes.length + lines);
        Files.write(folder.resolve(sub).resolve(info == null ? base : base + ":" + info), bytes);
        return base;
    }

    /**
     * Puts the directories' mtimes in the past, as for a folder nobody touched for a while, so the index may trust
     * them (a directory changed within the last two seconds is re-read; see DirWatch).
     */
    static void age(Path folder) throws IOException {
        FileTime past = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
        for (String sub : List.of("new", "cur")) {
            Files.setLastModifiedTime(folder.resolve(sub), past);
        }
    }

    static List<String> names(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

package org.osprey.delivery;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a user's Sieve rules have already seen, and until when: a vacation reply sent to a sender (RFC 5230 §4.2:
 * at most one per :days), a message id for the duplicate test (RFC 7352). Kept per user in
 * {@code <home>/.osprey.sieve-dupes} (the role of Pigeonhole's .dovecot.lda-dupes), one line per entry: the
 * expiry in epoch milliseconds and a SHA-256 of the key, so no addresses are stored in clear. Entries expire;
 * the file is rewritten atomically (and fsync'd) when it changes. At most {@link #MAX_ENTRIES} are kept.
 */
public final class DuplicateLog {
    static final String FILE = ".osprey.sieve-dupes";
    static final int MAX_ENTRIES = 10_000;

    private final Clock clock;
    private final Map<Path, Object> locks = new ConcurrentHashMap<>();

    public DuplicateLog(Clock clock) {
        this.clock = clock;
    }

    /**
     * True when {@code key} was recorded for this user and has not expired; otherwise records it for
     * {@code period} and returns false. Both in one step, so two deliveries at once cannot both reply.
     */
    public boolean checkAndRecord(Path home, String key, Duration period) throws IOException {
        Object lock = locks.computeIfAbsent(home, h -> new Object());
        synchronized (lock) {
            long now = clock.millis();
            Map<String, Long> entries = read(home.resolve(FILE), now);
            String hash = hash(key);
            Long expiry = entries.get(hash);
            if (expiry != null && expiry > now) {
                return true;
            }
            entries.remove(hash);
            entries.put(hash, now + period.toMillis());
            while (entries.size() > MAX_ENTRIES) {
                entries.remove(entries.keySet().iterator().next()); // the oldest first
            }
            write(home, entries);
            return false;
        }
    }

    /** True when {@code key} was recorded for this user and has not expired; records nothing. */
    public boolean contains(Path home, String key) throws IOException {
        long now = clock.millis();
        Long expiry = read(home.resolve(FILE), now).get(hash(key));
        return expiry != null && expiry > now;
    }

    private static Map<String, Long> read(Path file, long now) throws IOException {
        Map<String, Long> entries = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                int space = line.indexOf(' ');
                if (space <= 0) {
                    continue;
                }
                try {
                    long expiry = Long.parseLong(line.substring(0, space));
                    if (expiry > now) {
                        entries.put(line.substring(space + 1), expiry);
                    }
                } catch (NumberFormatException ignored) {
                    // a damaged line only forgets that entry
                }
            }
        } catch (NoSuchFileException e) {
            // nothing seen yet
        }
        return entries;
    }

    private static void write(Path home, Map<String, Long> entries) throws IOException {
        Files.createDirectories(home);
        Path tmp = home.resolve(FILE + ".tmp");
        StringBuilder sb = new StringBuilder();
        entries.forEach((hash, expiry) -> sb.append(expiry).append(' ').append(hash).append('\n'));
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);
        }
        Files.move(tmp, home.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

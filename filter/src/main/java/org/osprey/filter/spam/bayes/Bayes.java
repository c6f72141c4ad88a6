package org.osprey.filter.spam.bayes;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import org.osprey.filter.mail.ParsedMessage;

/**
 * The learning classifier's databases under one directory ({@code <data_dir>/bayes}): {@code global/}, trained by
 * the admin ({@code osprey spam learn}), and {@code users/<domain>/<local>/}, trained by each user moving mail into
 * and out of Junk. A message for one user is judged on the global counts plus that user's; a message for several on
 * the global counts alone (one SMTP reply serves them all). Databases are opened on first use and kept while used.
 */
public final class Bayes {
    /** How often a database looks for changes made by another process (the learn command). */
    private static final long REFRESH_NANOS = 1_000_000_000L;

    private final Path directory;
    private final int maxTokens;
    private final BayesDatabase global;
    private final LoadingCache<String, Holder> users;
    private volatile long globalRefreshed = System.nanoTime();

    public Bayes(Path directory) throws IOException {
        this(directory, BayesDatabase.DEFAULT_MAX_TOKENS);
    }

    /** The databases under {@code directory}, each kept to about {@code maxTokens} tokens. */
    public Bayes(Path directory, int maxTokens) throws IOException {
        this.directory = directory;
        this.maxTokens = maxTokens;
        this.global = BayesDatabase.open(directory.resolve("global"), maxTokens);
        this.users = Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(java.time.Duration.ofHours(1))
                .build(this::openUser);
    }

    /** The tokens of a parsed message. */
    public static long[] tokens(ParsedMessage message) {
        List<String> texts = new ArrayList<>();
        message.textParts().forEach(part -> texts.add(part.text()));
        List<String> links = new ArrayList<>();
        message.links().forEach(link -> links.add(link.href()));
        return Tokenizer.tokens(message.header(), message.decodedHeader("Subject"), message.decodedHeader("From"),
                texts, links, mimeFacts(message));
    }

    /** The content type of every part, the file name extension of every attachment, and every MIME problem. */
    private static List<String> mimeFacts(ParsedMessage message) {
        List<String> facts = new ArrayList<>();
        message.textParts().forEach(part -> facts.add("part:" + part.contentType()));
        for (ParsedMessage.Attachment attachment : message.attachments()) {
            facts.add("part:" + attachment.contentType());
            int dot = attachment.filename().lastIndexOf('.');
            if (dot >= 0) {
                facts.add("ext:" + attachment.filename().substring(dot + 1).toLowerCase(Locale.ROOT));
            }
        }
        message.problems().forEach(problem -> facts.add("problem:" + problem));
        return facts;
    }

    /**
     * Identifies a message for "learned already?": its Message-ID and its sorted tokens (markup headers are not
     * tokens, so the copy in a mailbox and the one learned from a file are the same message).
     */
    public static long digest(ParsedMessage message, long[] tokens) {
        long[] sorted = tokens.clone();
        Arrays.sort(sorted);
        String messageId = message.header().value("Message-ID").orElse("");
        long h = Tokenizer.finish(Tokenizer.hash(messageId, 0, messageId.length(), 0x9e3779b97f4a7c15L));
        for (long t : sorted) {
            h = Tokenizer.finish(h ^ t) + 0x9e3779b97f4a7c15L;
        }
        return h;
    }

    /** A parsed message as something to learn: its tokens and its digest. */
    public static BayesDatabase.Example example(ParsedMessage message, boolean spam) {
        long[] tokens = tokens(message);
        return new BayesDatabase.Example(digest(message, tokens), tokens, spam);
    }

    /** The spam probability for mail to {@code user} (empty: the global database alone), empty if too little learned. */
    public OptionalDouble probability(Optional<String> user, long[] tokens) throws IOException {
        refreshGlobal();
        List<BayesDatabase> databases = new ArrayList<>(2);
        databases.add(global);
        if (user.isPresent()) {
            Optional<BayesDatabase> own = existingUser(user.get());
            if (own.isPresent()) {
                databases.add(own.get());
            }
        }
        return Classifier.probability(databases, tokens);
    }

    public BayesDatabase global() {
        return global;
    }

    /** A user's database (created on first learning). */
    public BayesDatabase user(String address) throws IOException {
        try {
            Holder holder = users.get(address.toLowerCase(Locale.ROOT));
            holder.refreshIfDue();
            return holder.db;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private Optional<BayesDatabase> existingUser(String address) throws IOException {
        Path dir = userDirectory(address);
        if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
            return Optional.empty();
        }
        return Optional.of(user(address));
    }

    private void refreshGlobal() throws IOException {
        long now = System.nanoTime();
        if (now - globalRefreshed > REFRESH_NANOS) {
            globalRefreshed = now;
            global.refresh();
        }
    }

    /** users/<domain>/<local>; null for an address that cannot name a directory safely. */
    Path userDirectory(String address) {
        return userDirectory(directory, address).orElse(null);
    }

    /**
     * Where the database of {@code address} lives under the Bayes directory ({@code users/<domain>/<local>}), or
     * empty for an address that cannot name a directory safely.
     */
    public static Optional<Path> userDirectory(Path bayesDirectory, String address) {
        String lower = address.toLowerCase(Locale.ROOT);
        int at = lower.lastIndexOf('@');
        if (at <= 0 || at == lower.length() - 1) {
            return Optional.empty();
        }
        String local = lower.substring(0, at);
        String domain = lower.substring(at + 1);
        if (!safe(local) || !safe(domain)) {
            return Optional.empty();
        }
        return Optional.of(bayesDirectory.resolve("users").resolve(domain).resolve(local));
    }

    /** Where the databases of a domain's users live ({@code users/<domain>}), or empty for an unsafe name. */
    public static Optional<Path> domainDirectory(Path bayesDirectory, String domain) {
        String lower = domain.toLowerCase(Locale.ROOT);
        return safe(lower) ? Optional.of(bayesDirectory.resolve("users").resolve(lower)) : Optional.empty();
    }

    private static boolean safe(String name) {
        return !name.isEmpty() && !name.startsWith(".") && name.indexOf('/') < 0 && name.indexOf('\\') < 0
                && name.indexOf('\0') < 0 && name.length() <= 255;
    }

    private Holder openUser(String address) {
        Path dir = userDirectory(address);
        if (dir == null) {
            throw new UncheckedIOException(new IOException("no Bayes database for the address " + address));
        }
        try {
            return new Holder(BayesDatabase.open(dir, maxTokens));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Holder {
        final BayesDatabase db;
        volatile long refreshed = System.nanoTime();

        Holder(BayesDatabase db) {
            this.db = db;
        }

        void refreshIfDue() throws IOException {
            long now = System.nanoTime();
            if (now - refreshed > REFRESH_NANOS) {
                refreshed = now;
                db.refresh();
            }
        }
    }
}

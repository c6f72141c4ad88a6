package org.osprey.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osprey.core.address.EmailAddress;
import org.osprey.sieve.CompiledScript;
import org.osprey.sieve.IncludeResolver;
import org.osprey.sieve.MessageContext;
import org.osprey.sieve.MessageSource;
import org.osprey.sieve.ScriptLocation;
import org.osprey.sieve.SieveCompiler;
import org.osprey.sieve.SieveException;
import org.osprey.sieve.SieveInterpreter;
import org.osprey.sieve.SieveLimits;
import org.osprey.sieve.SieveResult;
import org.osprey.sieve.store.ScriptStore;
import org.osprey.sieve.store.ScriptStoreException;
import org.osprey.store.Folders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Sieve scripts for one local delivery, as Pigeonhole does for Dovecot's LDA/LMTP: the global "before"
 * scripts, the user's active script (ManageSieve's store), the global "after" scripts, one evaluation with one
 * implicit keep. Global scripts are compiled once at start; a user's script is compiled when its text changes and
 * kept compiled. A script that does not compile is logged and skipped — the message is still delivered.
 */
public final class SieveFilter {
    private static final Logger log = LoggerFactory.getLogger(SieveFilter.class);
    private static final int CACHED_USERS = 4096;

    private record Compiled(String text, CompiledScript script) {
    }

    private final List<CompiledScript> before;
    private final List<CompiledScript> after;
    private final ScriptStore scripts;
    private final Path globalDir;
    private final SieveLimits limits;
    private final DuplicateLog duplicates;
    private final Clock clock;
    private final SieveCompiler compiler = new SieveCompiler();
    private final SieveInterpreter interpreter = new SieveInterpreter();
    private final Map<String, Compiled> userScripts = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Compiled> eldest) {
            return size() > CACHED_USERS;
        }
    };

    /**
     * @param before    global scripts run first (a missing or broken one stops start-up: the admin must know)
     * @param globalDir where {@code include :global "name"} finds {@code name.sieve}
     */
    public SieveFilter(List<Path> before, List<Path> after, Path globalDir, ScriptStore scripts, SieveLimits limits,
                       DuplicateLog duplicates, Clock clock) throws IOException, SieveException {
        this.globalDir = globalDir;
        this.scripts = scripts;
        this.limits = limits;
        this.duplicates = duplicates;
        this.clock = clock;
        this.before = compileGlobal(before);
        this.after = compileGlobal(after);
    }

    private List<CompiledScript> compileGlobal(List<Path> files) throws IOException, SieveException {
        List<CompiledScript> compiled = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file);
            try {
                compiled.add(compiler.compile(ScriptLocation.GLOBAL, file.getFileName().toString(), text,
                        globalIncludes()));
            } catch (SieveException e) {
                throw new SieveException(e.line(), e.column(), file + ": " + e.getMessage());
            }
        }
        return List.copyOf(compiled);
    }

    /** The extensions scripts may require, for ManageSieve's SIEVE capability. */
    public static List<String> extensions() {
        return SieveCompiler.CAPABILITIES;
    }

    /**
     * The compiler's verdict on a script a user uploads (ManageSieve PUTSCRIPT/CHECKSCRIPT): the error with line
     * and column, or empty. Included scripts are looked up only when the script runs (RFC 6609 §3.2).
     */
    public Optional<String> check(String text) {
        try {
            compiler.compile(ScriptLocation.PERSONAL, "check", text, IncludeResolver.NONE);
            return Optional.empty();
        } catch (SieveException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Evaluates the scripts for one message to one mailbox; empty when there is nothing to run (no global scripts
     * and no active user script), so the caller simply keeps the message.
     */
    Optional<SieveResult> evaluate(Envelope envelope, Target target, EmailAddress mailbox, Path home,
                                   MessageSource message) {
        List<CompiledScript> run = new ArrayList<>(before);
        userScript(mailbox).ifPresent(run::add);
        run.addAll(after);
        if (run.isEmpty()) {
            return Optional.empty();
        }
        Path maildir = home.resolve("Maildir");
        MessageContext.Builder builder = MessageContext.builder(message, envelope.size());
        spamPercent(envelope.headers()).ifPresent(builder::spamPercent);
        if (envelope.headers().stream().anyMatch(h -> h.regionMatches(true, 0, "X-Virus-Scanned:", 0, 16))) {
            builder.virusLevel(1); // RFC 5235: scanned, clean (infected mail was refused at DATA)
        }
        MessageContext context = builder
                .envelopeFrom(envelope.sender())
                .envelopeTo(target.original())
                .recipient(mailbox.toString())
                .userAddresses(target.original().equalsIgnoreCase(mailbox.toString())
                        ? List.of(mailbox.toString()) : List.of(mailbox.toString(), target.original()))
                .clock(clock)
                .duplicates((handle, id) -> {
                    try {
                        return duplicates.contains(home, duplicateKey(handle, id));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .mailboxes(folder -> folderExists(maildir, folder))
                .limits(limits)
                .build();
        return Optional.of(interpreter.evaluate(run, context));
    }

    private static final java.util.regex.Pattern SPAM_STATUS = java.util.regex.Pattern.compile(
            "(?i)^X-Spam-Status:\\s*\\w+,\\s*score=(-?[0-9.]+)\\s+required=(-?[0-9.]+)");

    /**
     * The spam score for spamtest (RFC 5235) as a percentage, from the X-Spam-Status line the content checks added
     * (never from the message itself, whose X-Spam-* fields were removed at arrival): 0 at a score of 0 or less,
     * 100 at twice the tag level, so mail at the tag level is at 50 % (spamtest value 6).
     */
    static java.util.OptionalInt spamPercent(List<String> addedHeaders) {
        for (String line : addedHeaders) {
            var m = SPAM_STATUS.matcher(line);
            if (m.find()) {
                try {
                    double score = Double.parseDouble(m.group(1));
                    double required = Double.parseDouble(m.group(2));
                    double max = required > 0 ? 2 * required : 10;
                    return java.util.OptionalInt.of((int) Math.round(Math.clamp(score / max, 0, 1) * 100));
                } catch (NumberFormatException e) {
                    return java.util.OptionalInt.empty();
                }
            }
        }
        return java.util.OptionalInt.empty();
    }

    static String duplicateKey(String handle, String id) {
        return "duplicate\u0000" + handle + "\u0000" + id;
    }

    private static boolean folderExists(Path maildir, String folder) {
        try {
            return Files.isDirectory(Folders.path(maildir, folder).resolve("new"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Optional<CompiledScript> userScript(EmailAddress mailbox) {
        Optional<ScriptStore.ActiveScript> active;
        try {
            active = scripts.activeScript(mailbox);
        } catch (IOException e) {
            log.warn("cannot read the Sieve script of {}: {}; delivering without it", mailbox, e.getMessage());
            return Optional.empty();
        }
        if (active.isEmpty()) {
            return Optional.empty();
        }
        String text = active.get().text();
        String key = mailbox.key();
        synchronized (userScripts) {
            Compiled cached = userScripts.get(key);
            if (cached != null && cached.text().equals(text)) {
                return Optional.ofNullable(cached.script()); // null: known not to compile, logged once
            }
        }
        CompiledScript script = null;
        try {
            script = compiler.compile(ScriptLocation.PERSONAL, active.get().name(), text, personalIncludes(mailbox));
        } catch (SieveException e) {
            log.warn("the Sieve script \"{}\" of {} does not compile ({}); delivering without it until it is fixed",
                    active.get().name(), mailbox, e.getMessage());
        }
        synchronized (userScripts) {
            userScripts.put(key, new Compiled(text, script));
        }
        return Optional.ofNullable(script);
    }

    private IncludeResolver personalIncludes(EmailAddress user) {
        return (location, name) -> {
            if (location == ScriptLocation.GLOBAL) {
                return globalIncludes().resolve(location, name);
            }
            try {
                return scripts.get(user, name);
            } catch (ScriptStoreException e) {
                return Optional.empty();
            }
        };
    }

    private IncludeResolver globalIncludes() {
        return (location, name) -> {
            if (location != ScriptLocation.GLOBAL) {
                return Optional.empty(); // a global script has no personal scripts to include
            }
            Path file = globalDir.resolve(name + ".sieve");
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        };
    }
}

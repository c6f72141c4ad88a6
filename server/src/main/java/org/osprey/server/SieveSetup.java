package org.osprey.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.osprey.core.config.Config;
import org.osprey.delivery.DuplicateLog;
import org.osprey.delivery.SieveFilter;
import org.osprey.sieve.SieveException;
import org.osprey.sieve.SieveLimits;
import org.osprey.sieve.store.ScriptStore;
import org.osprey.store.MailboxLayout;

/**
 * Builds Sieve for delivery and ManageSieve from [sieve]: the per-user script store, and the filter with the global
 * scripts. The shipped spam-to-Junk rule is written to its default place on first start (the admin may edit it);
 * a global script that is missing or does not compile stops start-up with its file, line and column.
 */
final class SieveSetup {
    private SieveSetup() {
    }

    static ScriptStore scripts(Config config, MailboxLayout layout) {
        Config.Sieve s = config.sieve();
        return new ScriptStore(layout::home, new ScriptStore.Limits(s.maxScriptSize(), s.maxScripts(),
                s.maxStorage()));
    }

    static SieveFilter filter(Config config, ScriptStore scripts, DuplicateLog duplicates, Clock clock)
            throws OspreyServer.StartupException {
        Config.Sieve s = config.sieve();
        try {
            writeDefaultRule(s.defaultBeforeScript());
            for (Path file : s.before()) {
                requireFile(file, "before");
            }
            for (Path file : s.after()) {
                requireFile(file, "after");
            }
            var limits = new SieveLimits(s.maxRedirects(), s.maxActions(), SieveLimits.DEFAULT.maxTime(),
                    SieveLimits.DEFAULT.maxIncludeDepth(), s.vacationDefaultPeriod(), s.vacationMaxPeriod(),
                    SieveLimits.DEFAULT.duplicateDefault(), SieveLimits.DEFAULT.duplicateMax());
            return new SieveFilter(s.before(), s.after(), s.defaultBeforeScript().getParent(), scripts, limits,
                    duplicates, clock);
        } catch (IOException e) {
            throw new OspreyServer.StartupException("[sieve]: " + e.getMessage());
        } catch (SieveException e) {
            throw new OspreyServer.StartupException("[sieve]: a global script does not compile: " + e.getMessage());
        }
    }

    private static void requireFile(Path file, String key) throws OspreyServer.StartupException {
        if (!Files.isRegularFile(file)) {
            throw new OspreyServer.StartupException("config: [sieve] " + key + ": " + file + " is not a file");
        }
    }

    private static void writeDefaultRule(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        Files.createDirectories(file.getParent());
        try (InputStream in = SieveSetup.class.getResourceAsStream("/sieve/spam-to-junk.sieve")) {
            if (in == null) {
                throw new IOException("the built-in spam-to-junk.sieve is missing from the jar");
            }
            Files.write(file, in.readAllBytes());
        }
    }
}

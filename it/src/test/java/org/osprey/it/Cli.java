package org.osprey.it;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osprey.server.Main;

/** Runs osprey commands in this JVM with their own stdin, stdout and stderr, as a shell would. */
final class Cli {
    private final Path config;

    Cli(Path config) {
        this.config = config;
    }

    record Result(int status, String out, String err) {
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    /** Adds example.org and john@example.org (password "pw"), the mailbox most tests send to; fails loudly. */
    void addJohn() {
        Result domain = run("domain", "add", "example.org");
        Result user = runWithInput("pw\n", "user", "add", "john@example.org", "--password-stdin");
        if (domain.status() != 0 || user.status() != 0) {
            throw new IllegalStateException("could not add john@example.org: " + domain.err() + user.err());
        }
    }

    Result runWithInput(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (config != null) {
            all.add("--config");
            all.add(config.toString());
        }
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = Main.execute(all.toArray(String[]::new),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

package org.osprey.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code osprey metrics}: the running server's counters (from {@code <data_dir>/metrics.prom}, 15 s fresh). */
@Command(name = "metrics", description = "Print the server's counters in Prometheus' text format (written every"
        + " 15 s to <data_dir>/metrics.prom, which node_exporter's textfile collector can read).",
        mixinStandardHelpOptions = true)
final class MetricsCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws CliException {
        Path file = config.load().dataDir().resolve(MetricsFile.FILE);
        try {
            spec.commandLine().getOut().print(Files.readString(file));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (NoSuchFileException e) {
            throw new CliException("no metrics yet: " + file + " is written by the running server");
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
    }
}

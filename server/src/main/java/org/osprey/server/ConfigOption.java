package org.osprey.server;

import java.nio.file.Path;
import org.osprey.core.config.Config;
import org.osprey.core.config.ConfigException;
import org.osprey.core.config.ConfigLoader;
import picocli.CommandLine.Option;

/** The --config option every command takes. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Config file (TOML). Without it, all defaults apply.")
    Path file;

    Config load() throws CliException {
        try {
            return ConfigLoader.load(file);
        } catch (ConfigException e) {
            throw new CliException("config error: " + e.getMessage());
        }
    }
}

package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./osprey launcher as a newcomer runs it: a separate process that finds the JDK itself, started from another
 * directory, with no config at all or a broken one, and stopped with SIGTERM.
 */
class LauncherTest {
    static final Path LAUNCHER = Path.of("..", "osprey").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        // The launcher must find a JDK 25 by itself, even when JAVA_HOME points at an older one.
        builder.environment().put("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64");
        return builder.start();
    }

    private static String output(Process p) throws Exception {
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void adminCommandsWorkFromAnyDirectoryWithoutConfig() throws Exception {
        Process add = start("domain", "add", "example.org");
        assertThat(output(add)).contains("added domain example.org");
        assertThat(add.exitValue()).isZero();

        Process user = start("user", "add", "john@example.org", "--password-stdin");
        user.getOutputStream().write("secret\n".getBytes(StandardCharsets.UTF_8));
        user.getOutputStream().close();
        assertThat(output(user)).contains("added mailbox john@example.org");
        assertThat(user.exitValue()).isZero();
        assertThat(dir.resolve("data/osprey.db")).exists();

        Process dup = start("domain", "add", "example.org");
        assertThat(output(dup).strip()).isEqualTo("osprey: domain example.org already exists");
        assertThat(dup.exitValue()).isEqualTo(1);
    }

    @Test
    void runStartsWithNoConfigAndStopsGracefullyOnSigterm() throws Exception {
        // Development ports may be in use on a shared machine: keep the defaults but move every port to 0.
        Path config = dir.resolve("osprey.toml");
        Files.writeString(config, "[listen]\n" + String.join("\n", List.of("smtp", "submission", "submissions",
                "imap", "imaps", "pop3", "pop3s", "managesieve", "web").stream().map(s -> s + " = [\"127.0.0.1:0\"]")
                .toList()) + "\n");
        Process run = start("run", "--config", config.toString());
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(run.getInputStream(),
                StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            lines.add(line);
            if (line.contains("osprey started")) {
                break;
            }
        }
        assertThat(lines).as("start-up log").anyMatch(l -> l.contains("osprey started as"));
        assertThat(dir.resolve("data/tls/cert.pem")).exists();
        run.toHandle().destroy(); // SIGTERM
        String rest = output(run);
        assertThat(rest).contains("stopping").contains("osprey stopped");
        assertThat(run.exitValue()).isIn(0, 143);
    }

    @Test
    void aBrokenConfigStopsStartUpWithOneLineNamingTheKey() throws Exception {
        Path config = dir.resolve("osprey.toml");
        Files.writeString(config, "[listen]\nsmtp = [\"0.0.0.0:70000\"]\n");
        Process run = start("run", "--config", config.toString());
        String out = output(run);
        assertThat(run.exitValue()).isEqualTo(1);
        assertThat(out.strip()).isEqualTo("osprey: config error: [listen] smtp: \"0.0.0.0:70000\": port 70000 is out"
                + " of range 0-65535");
    }
}

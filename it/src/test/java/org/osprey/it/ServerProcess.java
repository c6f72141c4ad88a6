package org.osprey.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The server as its own process (the built jar), so tests can cap its heap, SIGTERM it or kill -9 it. */
final class ServerProcess implements AutoCloseable {
    static final Path JAR = Path.of("..", "server", "target", "osprey.jar").toAbsolutePath().normalize();

    final Path config;
    final int smtpPort;
    final Path log;
    private Process process;

    ServerProcess(Path dir, String extraConfig) throws IOException {
        int port = freePort();
        this(dir, port, TestConfigs.smtpOnly("127.0.0.1:" + port, extraConfig));
    }

    /** A server with the given config file text, whose SMTP listener is on {@code smtpPort}. */
    ServerProcess(Path dir, int smtpPort, String configText) throws IOException {
        this.smtpPort = smtpPort;
        this.config = dir.resolve("osprey.toml");
        this.log = dir.resolve("server.log");
        Files.writeString(config, configText);
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    void start(String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", JAR.toString(), "run", "--config", config.toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited: " + Files.readString(log));
            }
            try (var s = new Socket("127.0.0.1", smtpPort)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("server did not start: " + Files.readString(log));
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}

package org.osprey.server;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code osprey run}: the server in the foreground until SIGTERM or Ctrl-C, which stop it gracefully. */
@Command(name = "run", description = "Start the server in the foreground.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    private final Object lock = new Object();
    private OspreyServer server;
    private boolean stopping;

    @Override
    public Integer call() throws CliException {
        var stopped = new CountDownLatch(1);
        // The hook exists before the server says it started, so a SIGTERM at any moment stops it cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (lock) {
                stopping = true;
                if (server != null) {
                    server.stop();
                }
            }
            Main.flushLogs();
            stopped.countDown();
        }, "shutdown"));
        OspreyServer started;
        try {
            started = OspreyServer.start(config.load());
        } catch (OspreyServer.StartupException e) {
            throw new CliException(e.getMessage());
        }
        synchronized (lock) {
            if (stopping) {
                started.stop();
                return 0;
            }
            server = started;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}

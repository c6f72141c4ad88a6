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

    @Override
    public Integer call() throws CliException {
        OspreyServer server;
        try {
            server = OspreyServer.start(config.load());
        } catch (OspreyServer.StartupException e) {
            throw new CliException(e.getMessage());
        }
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}

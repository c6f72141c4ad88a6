package org.osprey.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osprey.core.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's counters in Prometheus' text format, written every 15 seconds to {@code <data_dir>/metrics.prom}
 * (replaced atomically): node_exporter's textfile collector reads it as it is, and {@code osprey metrics} prints
 * it. A file rather than a port: nothing more to secure, and it works with every monitoring system that reads files.
 */
final class MetricsFile implements AutoCloseable {
    static final String FILE = "metrics.prom";
    private static final Logger log = LoggerFactory.getLogger(MetricsFile.class);

    private final Path file;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("metrics-file").factory());

    MetricsFile(Path dataDir) {
        this.file = dataDir.resolve(FILE);
        timer.scheduleAtFixedRate(this::writeQuietly, 0, 15, TimeUnit.SECONDS);
    }

    static String render(Map<String, Long> series) {
        StringBuilder sb = new StringBuilder();
        Set<String> typed = new HashSet<>();
        series.forEach((name, value) -> {
            int brace = name.indexOf('{');
            String metric = brace < 0 ? name : name.substring(0, brace);
            if (typed.add(metric)) {
                sb.append("# TYPE ").append(metric).append(" counter\n");
            }
            sb.append(name).append(' ').append(value).append('\n');
        });
        return sb.toString();
    }

    void write() throws IOException {
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.writeString(tmp, render(Metrics.snapshot()), StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void writeQuietly() {
        try {
            write();
        } catch (IOException | RuntimeException e) {
            log.warn("cannot write {}: {}", file, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        writeQuietly(); // the last counts, for whoever looks after a stop
    }
}

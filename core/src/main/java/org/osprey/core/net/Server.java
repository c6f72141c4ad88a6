package org.osprey.core.net;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All listeners of the running program and their shared {@link ConnectionGate}. {@link #stop(Duration)} is the
 * graceful stop: close the listening sockets, ask sessions to end, wait up to the grace period, then send the
 * protocol's shutdown reply to whoever is left and close them.
 */
public final class Server {
    private static final Logger log = LoggerFactory.getLogger(Server.class);

    private final ConnectionGate gate;
    private final List<Listener> listeners = new ArrayList<>();

    public Server(ConnectionGate gate) {
        this.gate = gate;
    }

    /** Starts the listener; if it cannot bind, the ones already started are stopped and the error is thrown. */
    public void start(Listener listener) throws IOException {
        try {
            listener.start();
        } catch (IOException e) {
            stop(Duration.ZERO);
            throw new IOException("cannot listen for " + listener.name() + ": " + e.getMessage(), e);
        }
        listeners.add(listener);
    }

    public List<Listener> listeners() {
        return List.copyOf(listeners);
    }

    public ConnectionGate gate() {
        return gate;
    }

    public void stop(Duration grace) {
        listeners.forEach(Listener::close);
        gate.live().forEach(Connection::requestShutdown);
        long deadline = System.nanoTime() + grace.toNanos();
        while (!gate.live().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int forced = gate.live().size();
        // Ending the input lets each session's own thread say goodbye; whoever still hangs on is closed hard.
        gate.live().forEach(Connection::endInput);
        long hardDeadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (!gate.live().isEmpty() && System.nanoTime() < hardDeadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        gate.live().forEach(Connection::close);
        if (forced > 0) {
            log.info("ended {} sessions still open after the grace period", forced);
        }
    }
}

package org.osprey.core.net;

import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission for new connections across all listeners: at most {@code maxTotal} at once and at most
 * {@code maxPerIp} from one client address. Also the registry of live connections, for a graceful stop.
 */
public final class ConnectionGate {
    private final int maxTotal;
    private final int maxPerIp;
    private final AtomicInteger total = new AtomicInteger();
    // counted inside compute(), so that an entry removed at zero cannot be incremented by a racing admit
    private final ConcurrentHashMap<InetAddress, Integer> perIp = new ConcurrentHashMap<>();
    private final Set<Connection> live = ConcurrentHashMap.newKeySet();

    public ConnectionGate(int maxTotal, int maxPerIp) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
    }

    /** Counts a new connection in; false (and nothing counted) when it is over a limit. */
    boolean admit(InetAddress client) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return false;
        }
        boolean[] admitted = {false};
        perIp.compute(client, (ip, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxPerIp) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        if (!admitted[0]) {
            total.decrementAndGet();
        }
        return admitted[0];
    }

    void release(InetAddress client) {
        total.decrementAndGet();
        perIp.computeIfPresent(client, (ip, count) -> count <= 1 ? null : count - 1);
    }

    void register(Connection connection) {
        live.add(connection);
    }

    void unregister(Connection connection) {
        live.remove(connection);
    }

    Set<Connection> live() {
        return live;
    }

    /** Connections open right now. */
    public int openConnections() {
        return total.get();
    }
}

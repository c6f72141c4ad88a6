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
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();
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
        AtomicInteger count = perIp.computeIfAbsent(client, ip -> new AtomicInteger());
        if (count.incrementAndGet() > maxPerIp) {
            release(client);
            return false;
        }
        return true;
    }

    void release(InetAddress client) {
        total.decrementAndGet();
        perIp.computeIfPresent(client, (ip, count) -> count.decrementAndGet() <= 0 ? null : count);
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

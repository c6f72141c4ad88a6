package org.osprey.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Admission counting on its own, including under contention, where a lost count would let a client past. */
class ConnectionGateTest {

    @Test
    void countsPerAddressAndInTotal() throws Exception {
        ConnectionGate gate = new ConnectionGate(3, 2);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");

        assertThat(gate.admit(a)).isTrue();
        assertThat(gate.admit(a)).isTrue();
        assertThat(gate.admit(a)).as("third from one address").isFalse();
        assertThat(gate.admit(b)).isTrue();
        assertThat(gate.admit(b)).as("fourth in total").isFalse();
        assertThat(gate.openConnections()).isEqualTo(3);

        gate.release(a);
        assertThat(gate.admit(b)).isTrue();
        assertThat(gate.admit(b)).isFalse();
        gate.release(a);
        gate.release(b);
        gate.release(b);
        assertThat(gate.openConnections()).isZero();
        assertThat(gate.admit(a)).isTrue();
        assertThat(gate.admit(a)).isTrue();
    }

    @Test
    void perAddressLimitHoldsWhileConnectionsComeAndGoConcurrently() throws Exception {
        ConnectionGate gate = new ConnectionGate(1_000, 1);
        InetAddress client = InetAddress.getByName("192.0.2.7");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 200_000; i++) {
                    if (gate.admit(client)) {
                        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        inside.decrementAndGet();
                        gate.release(client);
                    }
                }
            }));
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(mostInside.get()).as("connections from one address at once, limit 1").isEqualTo(1);
        assertThat(gate.openConnections()).isZero();
        assertThat(gate.admit(client)).isTrue();
        assertThat(gate.admit(client)).as("the count is right again once all are gone").isFalse();
    }
}

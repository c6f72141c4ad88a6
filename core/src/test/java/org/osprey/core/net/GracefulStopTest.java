package org.osprey.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Server.stop(grace): close the ports, let running commands finish, then say goodbye to whoever is left. */
class GracefulStopTest {
    // long, so that only the stop can end the idle sessions of these tests
    private final EchoProtocol protocol = new EchoProtocol(Duration.ofSeconds(30));

    @Test
    void runningCommandFinishesWithinTheGraceAndSessionsLeftAfterItGetTheShutdownReply() throws Exception {
        ConnectionGate gate = new ConnectionGate(10, 10);
        Server server = new Server(gate);
        int port = start(server, gate);
        try (TestClient busy = TestClient.connect(port); TestClient idle = TestClient.connect(port)) {
            busy.greetingId();
            idle.greetingId();
            busy.send("SLOW 500\r\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> protocol.sleeping.get() == 1);

            AtomicLong stopMillis = new AtomicLong();
            Thread stopper = Thread.ofPlatform().start(() -> {
                long start = System.nanoTime();
                server.stop(Duration.ofSeconds(2));
                stopMillis.set((System.nanoTime() - start) / 1_000_000);
            });

            assertThat(busy.line()).isEqualTo("+OK slept 500");
            assertThat(stopper.isAlive()).as("answered during the grace period").isTrue();
            // both sessions then waited for a next command and were ended when the grace was over
            assertThat(idle.line()).isEqualTo(EchoProtocol.SHUTDOWN);
            assertThat(idle.line()).isNull();
            assertThat(busy.line()).isEqualTo(EchoProtocol.SHUTDOWN);
            assertThat(busy.line()).isNull();

            stopper.join(Duration.ofSeconds(5));
            assertThat(stopper.isAlive()).isFalse();
            assertThat(stopMillis.get()).isBetween(1_900L, 4_000L);
            await().atMost(Duration.ofSeconds(5)).until(() -> gate.openConnections() == 0);
        }
        assertNobodyServes(port, gate);
    }

    @Test
    void stopReturnsWithoutWaitingOutTheGraceWhenNoSessionIsLeft() throws Exception {
        ConnectionGate gate = new ConnectionGate(10, 10);
        Server server = new Server(gate);
        int port = start(server, gate);
        try (TestClient client = TestClient.connect(port)) {
            client.greetingId();
            client.send("QUIT\r\n");
            assertThat(client.line()).isEqualTo("+OK bye");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> gate.openConnections() == 0);

        long start = System.nanoTime();
        server.stop(Duration.ofSeconds(30));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertNobodyServes(port, gate);
    }

    /**
     * The stopped listener's port refuses connections. On a busy machine another server may already have been
     * given the freed port (or the kernel connects a socket to itself), so a connection that does open must at
     * least not have reached this server: its gate never sees it.
     */
    private static void assertNobodyServes(int port, ConnectionGate gate) throws IOException {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            socket.setSoTimeout(500);
            try {
                socket.getInputStream().read(new byte[64]);
            } catch (java.net.SocketTimeoutException e) {
                // nobody greeted
            }
            assertThat(gate.openConnections()).as("a stopped listener takes no connection").isZero();
        } catch (ConnectException expected) {
            // the usual case: nothing listens there any more
        }
    }

    private int start(Server server, ConnectionGate gate) throws IOException {
        Listener listener = new Listener("echo", new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0),
            protocol, false, null, gate);
        server.start(listener);
        return listener.boundAddress().getPort();
    }
}

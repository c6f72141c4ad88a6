package org.osprey.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The plain-text listener over real sockets on 127.0.0.1: sessions, framing, timeouts, limits, failures. */
class ListenerTest {
    private final List<Listener> listeners = new ArrayList<>();
    private final List<TestClient> clients = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (TestClient client : clients) {
            client.close();
        }
        listeners.forEach(Listener::close);
    }

    @Test
    void greetsWithTheConnectionIdAndEchoes() throws IOException {
        int port = listen(new EchoProtocol(Duration.ofSeconds(5)), new ConnectionGate(10, 10));
        TestClient client = connect(port);

        String id = client.greetingId();
        assertThat(id).isNotBlank();
        client.send("ECHO hello world\r\n");
        assertThat(client.line()).isEqualTo("+OK hello world");
        client.send("QUIT\r\n");
        assertThat(client.line()).isEqualTo("+OK bye");
        assertThat(client.line()).as("closed after QUIT").isNull();
    }

    @Test
    void sessionsBeyondThePlatformThreadLimitRunOnVirtualThreadsAndFreedSlotsAreReused() throws IOException {
        int port = listen(new EchoProtocol(Duration.ofSeconds(5), 1), new ConnectionGate(10, 10));
        TestClient first = connect(port);
        first.greetingId();
        TestClient second = connect(port);
        second.greetingId();

        first.send("VIRTUAL?\r\n");
        assertThat(first.line()).isEqualTo("+OK false");
        second.send("VIRTUAL?\r\n");
        assertThat(second.line()).as("the one platform slot is taken").isEqualTo("+OK true");

        first.send("QUIT\r\n");
        assertThat(first.line()).isEqualTo("+OK bye");
        assertThat(first.line()).isNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            try (TestClient third = TestClient.connect(port)) {
                third.greetingId();
                third.send("VIRTUAL?\r\n");
                return third.line().equals("+OK false");
            }
        });
    }

    @Test
    void sessionRunsWithItsConnectionIdInTheMdc() throws IOException {
        int port = listen(new EchoProtocol(Duration.ofSeconds(5)), new ConnectionGate(10, 10));
        TestClient client = connect(port);

        String id = client.greetingId();
        client.send("MDC?\r\n");
        assertThat(client.line()).isEqualTo("+OK " + id);
    }

    @Test
    void eachConnectionHasItsOwnId() throws IOException {
        int port = listen(new EchoProtocol(Duration.ofSeconds(5)), new ConnectionGate(10, 10));

        String first = connect(port).greetingId();
        String second = connect(port).greetingId();
        String third = connect(port).greetingId();
        assertThat(List.of(first, second, third)).doesNotHaveDuplicates();
    }

    @Test
    void pipelinedCommandsInOneWriteAreAllAnsweredInOrder() throws IOException {
        int port = listen(new EchoProtocol(Duration.ofSeconds(5)), new ConnectionGate(10, 10));
        TestClient client = connect(port);
        client.greetingId();

        StringBuilder batch = new StringBuilder();
        for (int i = 1; i <= 50; i++) {
            batch.append("ECHO ").append(i).append("\r\n");
        }
        // a raw body in the middle of the pipeline: its bytes must not be taken for commands
        batch.append("DATA 13\r\nECHO body\r\n\r\n").append("BYTES? bare\n").append("QUIT\r\n");
        client.send(batch.toString());

        for (int i = 1; i <= 50; i++) {
            assertThat(client.line()).isEqualTo("+OK " + i);
        }
        assertThat(client.line()).isEqualTo("+OK got ECHO body||");
        assertThat(client.line()).isEqualTo("+OK crlf=false bareCr=false length=11");
        assertThat(client.line()).isEqualTo("+OK bye");
        assertThat(client.line()).isNull();
    }

    @Test
    void tooLongLineGetsTheProtocolReplyAndTheSessionGoesOn() throws IOException {
        int port = listen(new EchoProtocol(Duration.ofSeconds(5)), new ConnectionGate(10, 10));
        TestClient client = connect(port);
        client.greetingId();

        String exact = "ECHO " + "x".repeat(EchoProtocol.MAX_LINE - 5);
        client.send(exact + "\r\n" + "ECHO " + "y".repeat(5_000) + "\r\nECHO next\r\nFRAMING?\r\n");

        assertThat(client.line()).isEqualTo("+OK " + "x".repeat(EchoProtocol.MAX_LINE - 5));
        assertThat(client.line()).isEqualTo(EchoProtocol.TOO_LONG);
        assertThat(client.line()).isEqualTo("+OK next");
        assertThat(client.line()).isEqualTo("+OK 1");
    }

    @Test
    void idleClientGetsTheTimeoutReplyAndIsDisconnected() throws IOException {
        ConnectionGate gate = new ConnectionGate(10, 10);
        int port = listen(new EchoProtocol(Duration.ofMillis(300)), gate);
        TestClient client = connect(port);
        // sent before reading the greeting, so a slow test thread cannot run into the 300 ms itself
        client.send("ECHO still here\r\n");
        client.greetingId();
        assertThat(client.line()).isEqualTo("+OK still here");

        // then silence: the server speaks first, once, and closes
        assertThat(client.line()).isEqualTo(EchoProtocol.TIMEOUT);
        assertThat(client.line()).isNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> gate.openConnections() == 0);
    }

    @Test
    void overThePerIpLimitTheClientIsToldAndClosedUntilASlotFrees() throws IOException {
        ConnectionGate gate = new ConnectionGate(100, 2);
        int port = listen(new EchoProtocol(Duration.ofSeconds(5)), gate);
        TestClient first = connect(port);
        first.greetingId();
        connect(port).greetingId();

        TestClient third = connect(port);
        assertThat(third.line()).isEqualTo(EchoProtocol.TOO_MANY);
        assertThat(third.line()).isNull();
        // another address is another client: not held back by this one's limit
        TestClient otherIp = connect(InetAddress.getByName("127.0.0.2"), port);
        otherIp.greetingId();

        first.send("QUIT\r\n");
        assertThat(first.line()).isEqualTo("+OK bye");
        await().atMost(Duration.ofSeconds(5)).until(() -> gate.openConnections() == 2);
        TestClient again = connect(port);
        again.greetingId();
        again.send("ECHO admitted\r\n");
        assertThat(again.line()).isEqualTo("+OK admitted");
    }

    @Test
    void overTheTotalLimitTheClientIsToldAndClosedUntilASlotFrees() throws IOException {
        ConnectionGate gate = new ConnectionGate(2, 100);
        int port = listen(new EchoProtocol(Duration.ofSeconds(5)), gate);
        // from different addresses, so only the total limit can refuse
        TestClient first = connect(InetAddress.getByName("127.0.0.1"), port);
        first.greetingId();
        connect(InetAddress.getByName("127.0.0.2"), port).greetingId();

        TestClient third = connect(InetAddress.getByName("127.0.0.3"), port);
        assertThat(third.line()).isEqualTo(EchoProtocol.TOO_MANY);
        assertThat(third.line()).isNull();
        assertThat(gate.openConnections()).as("a refused connection holds no slot").isEqualTo(2);

        first.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> gate.openConnections() == 1);
        connect(InetAddress.getByName("127.0.0.3"), port).greetingId();
    }

    @Test
    void limitsAreSharedByAllListenersOfOneGate() throws IOException {
        ConnectionGate gate = new ConnectionGate(100, 1);
        int smtp = listen(new EchoProtocol(Duration.ofSeconds(5)), gate);
        int imap = listen(new EchoProtocol(Duration.ofSeconds(5)), gate);
        connect(smtp).greetingId();

        TestClient other = connect(imap);
        assertThat(other.line()).isEqualTo(EchoProtocol.TOO_MANY);
        assertThat(other.line()).isNull();
    }

    @Test
    void exceptionInsideASessionEndsOnlyThatSession() throws IOException {
        ConnectionGate gate = new ConnectionGate(10, 10);
        int port = listen(new EchoProtocol(Duration.ofSeconds(5)), gate);
        TestClient bystander = connect(port);
        bystander.greetingId();
        TestClient victim = connect(port);
        String victimId = victim.greetingId();

        Logger log = (Logger) LoggerFactory.getLogger(Listener.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        log.addAppender(appender);
        try {
            victim.send("BOOM\r\n");
            assertThat(victim.readToEnd()).as("no reply, just closed").isEmpty();

            // the listener still accepts, the other session still answers, and the slot was given back
            TestClient next = connect(port);
            next.greetingId();
            next.send("ECHO alive\r\n");
            assertThat(next.line()).isEqualTo("+OK alive");
            bystander.send("ECHO me too\r\n");
            assertThat(bystander.line()).isEqualTo("+OK me too");
            await().atMost(Duration.ofSeconds(5)).until(() -> gate.openConnections() == 2);
            // logged as an error, with the failing connection's id
            await().atMost(Duration.ofSeconds(5)).until(() -> errors(appender).stream()
                .anyMatch(event -> victimId.equals(event.getMDCPropertyMap().get("conn"))));
        } finally {
            log.detachAppender(appender);
        }
    }

    private static List<ILoggingEvent> errors(ListAppender<ILoggingEvent> appender) {
        // the appender adds under its own lock, from the session's thread
        synchronized (appender) {
            return appender.list.stream().filter(event -> event.getLevel() == Level.ERROR).toList();
        }
    }

    private int listen(Protocol protocol, ConnectionGate gate) throws IOException {
        Listener listener = new Listener("echo", new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0),
            protocol, false, null, gate);
        listener.start();
        listeners.add(listener);
        return listener.boundAddress().getPort();
    }

    private TestClient connect(int port) throws IOException {
        return connect(InetAddress.getByName("127.0.0.1"), port);
    }

    private TestClient connect(InetAddress from, int port) throws IOException {
        TestClient client = TestClient.connectFrom(from, port);
        clients.add(client);
        return client;
    }
}

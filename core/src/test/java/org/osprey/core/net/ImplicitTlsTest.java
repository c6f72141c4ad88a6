package org.osprey.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.tls.TlsContext;

/** A listener with TLS from the first byte, as on ports 465, 993 and 995. */
class ImplicitTlsTest {
    @TempDir
    static Path certificateDir;
    private static TlsContext tls;
    private static SSLContext trustingClient;

    private final List<Listener> listeners = new ArrayList<>();
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeAll
    static void certificate() throws Exception {
        tls = TlsContext.selfSigned(certificateDir, TestClient.TLS_HOSTNAME);
        trustingClient = TestClient.trusting(tls.certificateChain());
    }

    @AfterEach
    void closeAll() throws IOException {
        for (TestClient client : clients) {
            client.close();
        }
        listeners.forEach(Listener::close);
    }

    @Test
    void handshakeComesBeforeTheGreetingAndTheSessionRunsOverTls() throws IOException {
        int port = listen(new ConnectionGate(10, 10));
        TestClient client = connectTls(port);

        client.greetingId();
        client.send("TLS?\r\nECHO secret\r\n");
        assertThat(client.line()).startsWith("+OK TLSv1.3 TLS_");
        assertThat(client.line()).isEqualTo("+OK secret");
        // already encrypted: there is nothing to start
        client.send("STARTTLS\r\n");
        assertThat(client.line()).isEqualTo("-ERR no TLS");
    }

    @Test
    void plainTextClientGetsNoGreetingAndTheListenerStaysUp() throws IOException {
        ConnectionGate gate = new ConnectionGate(10, 10);
        int port = listen(gate);

        TestClient plain = connect(port);
        plain.send("EHLO i-forgot-tls.example\r\n");
        assertThat(plain.readToEnd()).doesNotContain("hello");

        // the failed handshake left the listener accepting and gave its slot back
        TestClient client = connectTls(port);
        client.greetingId();
        client.send("ECHO fine\r\n");
        assertThat(client.line()).isEqualTo("+OK fine");
        await().atMost(Duration.ofSeconds(5)).until(() -> gate.openConnections() == 1);
    }

    @Test
    void overTheLimitTheReplyComesAfterTheHandshakeSoTheClientCanReadIt() throws IOException {
        int port = listen(new ConnectionGate(100, 1));
        connectTls(port).greetingId();

        TestClient refused = connectTls(port);
        assertThat(refused.line()).isEqualTo(EchoProtocol.TOO_MANY);
        assertThat(refused.line()).isNull();
    }

    @Test
    void stopEndsATlsSessionLeftAfterTheGraceThoughTlsCannotHalfClose() throws IOException {
        ConnectionGate gate = new ConnectionGate(10, 10);
        Server server = new Server(gate);
        Listener listener = new Listener("echos", new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0),
            new EchoProtocol(Duration.ofSeconds(30)), true, tls, gate);
        server.start(listener);
        TestClient idle = connectTls(listener.boundAddress().getPort());
        idle.greetingId();

        long start = System.nanoTime();
        server.stop(Duration.ofMillis(200));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        // the session's socket is closed under it: no reply can be promised, but the client is let go
        assertThat(idle.readToEnd()).doesNotContain("+OK");
        await().atMost(Duration.ofSeconds(5)).until(() -> gate.openConnections() == 0);
    }

    private int listen(ConnectionGate gate) throws IOException {
        Listener listener = new Listener("echos", new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0),
            new EchoProtocol(Duration.ofSeconds(5)), true, tls, gate);
        listener.start();
        listeners.add(listener);
        return listener.boundAddress().getPort();
    }

    private TestClient connect(int port) throws IOException {
        TestClient client = TestClient.connect(port);
        clients.add(client);
        return client;
    }

    private TestClient connectTls(int port) throws IOException {
        TestClient client = TestClient.connectTls(trustingClient, port);
        clients.add(client);
        return client;
    }
}

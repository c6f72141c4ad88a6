package org.osprey.core.net;

import static org.assertj.core.api.Assertions.assertThat;

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

/** STARTTLS on a plain listener, with a real JDK TLS 1.3 client that trusts only the server's self-signed cert. */
class StartTlsTest {
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
    void startTlsUpgradesTheSessionToTls13AndTheSessionGoesOnOverIt() throws IOException {
        TestClient client = connect(listen(tls, Duration.ofSeconds(5)));
        client.greetingId();
        client.send("TLS?\r\n");
        assertThat(client.line()).isEqualTo("+OK none");

        client.send("STARTTLS\r\n");
        assertThat(client.line()).isEqualTo("+OK go ahead");
        client.startTls(trustingClient);

        client.send("TLS?\r\n");
        assertThat(client.line()).startsWith("+OK TLSv1.3 TLS_");
        client.send("ECHO over tls\r\n");
        assertThat(client.line()).isEqualTo("+OK over tls");
        // TLS cannot be started twice on one connection
        client.send("STARTTLS\r\n");
        assertThat(client.line()).isEqualTo("-ERR no TLS");
        client.send("QUIT\r\n");
        assertThat(client.line()).isEqualTo("+OK bye");
    }

    @Test
    void clearTextPipelinedAfterStarttlsIsDiscardedNotAnsweredOverTls_CVE_2011_0411() throws IOException {
        TestClient client = connect(listen(tls, Duration.ofSeconds(5)));
        client.greetingId();

        // a man in the middle appends a command to the client's STARTTLS, in the same clear-text segment
        client.send("STARTTLS\r\nECHO injected\r\n");
        assertThat(client.line()).isEqualTo("+OK go ahead");
        client.startTls(trustingClient);

        client.send("ECHO after\r\nQUIT\r\n");
        assertThat(client.line()).as("first reply over TLS").isEqualTo("+OK after");
        assertThat(client.line()).isEqualTo("+OK bye");
        assertThat(client.readToEnd()).doesNotContain("injected");
    }

    @Test
    void withoutACertificateStarttlsIsRefusedAndTheSessionStaysClear() throws IOException {
        TestClient client = connect(listen(null, Duration.ofSeconds(5)));
        client.greetingId();
        client.send("STARTTLS\r\nECHO still clear\r\n");
        assertThat(client.line()).isEqualTo("-ERR no TLS");
        assertThat(client.line()).isEqualTo("+OK still clear");
    }

    @Test
    void idleTimeoutStillAppliesAfterStarttlsAndTheReplyComesOverTls() throws IOException {
        // long enough for a cold handshake (each handshake read has this timeout too), short enough to wait for
        TestClient client = connect(listen(tls, Duration.ofMillis(1500)));
        client.greetingId();
        client.send("STARTTLS\r\n");
        assertThat(client.line()).isEqualTo("+OK go ahead");
        client.startTls(trustingClient);
        client.send("ECHO x\r\n");
        assertThat(client.line()).isEqualTo("+OK x");

        assertThat(client.line()).isEqualTo(EchoProtocol.TIMEOUT);
        assertThat(client.line()).isNull();
    }

    private int listen(TlsContext context, Duration idleTimeout) throws IOException {
        Listener listener = new Listener("echo", new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0),
            new EchoProtocol(idleTimeout), false, context, new ConnectionGate(10, 10));
        listener.start();
        listeners.add(listener);
        return listener.boundAddress().getPort();
    }

    private TestClient connect(int port) throws IOException {
        TestClient client = TestClient.connect(port);
        clients.add(client);
        return client;
    }
}

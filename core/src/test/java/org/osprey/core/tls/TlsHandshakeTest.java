package org.osprey.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real handshakes over 127.0.0.1 against a self-signed {@link TlsContext}: what is accepted and what is not. */
class TlsHandshakeTest {

    private static final String HOST = "mail.example.test";

    @TempDir
    Path dir;

    private TlsContext tls;
    private TlsTestServer server;
    private SSLContext client;

    @BeforeEach
    void start() throws TlsException {
        tls = TlsContext.selfSigned(dir.resolve("tls"), HOST);
        server = new TlsTestServer(tls);
        client = TestTls.trusting(tls.certificateChain());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void tls13HandshakeServesTheSelfSignedCertificateForTheHostname() throws Exception {
        TestTls.ClientView view = TestTls.handshake(client, server.port(), HOST);

        assertThat(view.protocol()).isEqualTo("TLSv1.3");
        assertThat(view.peerChain()).containsExactlyElementsOf(tls.certificateChain());
        X509Certificate leaf = view.leaf();
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, HOST));
        assertThat(((RSAPublicKey) leaf.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        TlsTestServer.Outcome outcome = server.nextOutcome();
        assertThat(outcome.failure()).isNull();
        assertThat(outcome.protocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void clientCheckingAnotherHostnameRejectsTheCertificate() throws Exception {
        // proves the client really checks the SAN, so the test above means something
        assertThatThrownBy(() -> TestTls.handshake(client, server.port(), "other.example.test"))
            .isInstanceOf(SSLHandshakeException.class)
            .hasMessageContaining("other.example.test");
        assertThat(server.nextOutcome().failure()).isNotNull();
    }

    @Test
    void tls12WithEcdheGcmWorks() throws Exception {
        TestTls.ClientView view = TestTls.handshake(client, server.port(), HOST,
            socket -> TestTls.only(socket, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));

        assertThat(view.protocol()).isEqualTo("TLSv1.2");
        assertThat(view.cipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(server.nextOutcome().failure()).isNull();
    }

    @Test
    void tls12WithChaCha20Works() throws Exception {
        TestTls.ClientView view = TestTls.handshake(client, server.port(), HOST,
            socket -> TestTls.only(socket, "TLSv1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));

        assertThat(view.cipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    }

    @Test
    void serverCipherOrderWinsOverTheClients() throws Exception {
        TestTls.ClientView view = TestTls.handshake(client, server.port(), HOST,
            socket -> TestTls.only(socket, "TLSv1.2",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));

        assertThat(view.cipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    }

    @Test
    void tls12WithOnlyCbcSuitesFails() throws Exception {
        assertThatThrownBy(() -> TestTls.handshake(client, server.port(), HOST,
                socket -> TestTls.only(socket, "TLSv1.2",
                    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA")))
            .isInstanceOf(SSLHandshakeException.class);

        assertThat(server.nextOutcome().failure())
            .isInstanceOf(SSLHandshakeException.class)
            .hasMessageContaining("cipher suite");
    }

    @Test
    void tls11ClientHelloIsRefusedWithProtocolVersionAlert() throws Exception {
        // hand-made, because the JDK client refuses to even offer TLS 1.1 and would fail on its own side
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(clientHello(0x0302));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] alert = new byte[7];
            in.readFully(alert);
            // record type 21 = alert, then version, length 2, level 2 = fatal, description 70 = protocol_version
            assertThat(alert[0]).isEqualTo((byte) 21);
            assertThat(alert[5]).isEqualTo((byte) 2);
            assertThat(alert[6]).isEqualTo((byte) 70);
        }
        assertThat(server.nextOutcome().failure())
            .isInstanceOf(SSLHandshakeException.class)
            .hasMessageContaining("TLSv1.1");
    }

    @Test
    void jdkClientLimitedToTls11CannotConnect() {
        assertThatThrownBy(() -> TestTls.handshake(client, server.port(), HOST,
                socket -> TestTls.only(socket, "TLSv1.1")))
            .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void wrappedSocketsCarryThePolicy() throws Exception {
        // wrapping needs a connected socket; no handshake happens on it
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket listener = new ServerSocket(0, 1, loopback);
                Socket idleClient = new Socket(loopback, listener.getLocalPort());
                SSLSocket socket = tls.wrapServer(listener.accept())) {
            assertThat(socket.getPort()).isEqualTo(idleClient.getLocalPort());
            assertThat(socket.getUseClientMode()).isFalse();
            assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
            assertThat(socket.getSSLParameters().getUseCipherSuitesOrder()).isTrue();
            assertThat(socket.getEnabledCipherSuites())
                .contains("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                .allSatisfy(suite -> assertThat(suite).satisfiesAnyOf(
                    s -> assertThat(s).doesNotContain("_WITH_"),
                    s -> assertThat(s).startsWith("TLS_ECDHE_").containsAnyOf("_GCM_", "_CHACHA20_POLY1305_")))
                .noneMatch(suite -> suite.contains("_CBC_") || suite.contains("_DHE_") || suite.endsWith("_SCSV"));
            // TLS 1.3 suites first, so a 1.2 suite can never be preferred over them by position
            assertThat(socket.getEnabledCipherSuites()[0]).doesNotContain("_WITH_");
        }
    }

    /** A minimal ClientHello record for the given legacy version, offering CBC suites only, no extensions. */
    private static byte[] clientHello(int version) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version);
        body.write(new byte[32]); // random
        body.write(0); // no session id
        body.write(new byte[] {0, 4, (byte) 0xC0, 0x13, 0x00, 0x2F}); // ECDHE_RSA / RSA with AES_128_CBC_SHA
        body.write(new byte[] {1, 0}); // null compression
        byte[] hello = body.toByteArray();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(new byte[] {22, 3, 1}); // handshake record, TLS 1.0 record layer as clients send
        int length = hello.length + 4;
        wire.write(length >> 8);
        wire.write(length);
        wire.write(1); // client_hello
        wire.write(new byte[] {0, (byte) (hello.length >> 8), (byte) hello.length});
        wire.write(hello);
        return wire.toByteArray();
    }
}

package org.osprey.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A renewed certificate is served by the same {@link TlsContext}; a bad renewal leaves the old one in service. */
class CertificateReloadTest {

    private static final String HOST = "mail.example.test";

    @TempDir
    Path dir;

    private Path certFile;
    private Path keyFile;
    private TestCertificates.Issued pairA;
    private TestCertificates.Issued pairB;
    private TlsContext tls;
    private TlsTestServer server;
    private SSLContext client;
    private Instant mtime = Instant.now();

    @BeforeEach
    void serveA() throws Exception {
        certFile = dir.resolve("fullchain.pem");
        keyFile = dir.resolve("privkey.pem");
        pairA = TestCertificates.selfSigned("RSA", HOST);
        pairB = TestCertificates.selfSigned("EC", HOST);
        TestCertificates.replace(certFile, keyFile, pairA, mtime);
        tls = TlsContext.fromPem(certFile, keyFile);
        server = new TlsTestServer(tls);
        client = TestTls.trusting(TestCertificates.chainOf(pairA, pairB));
        assertThat(servedLeaf()).isEqualTo(pairA.certificate());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void renewedPairIsServedWithinTwoSecondsWithoutANewContext() throws Exception {
        TestCertificates.replace(certFile, keyFile, pairB, nextMtime());

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100))
            .untilAsserted(() -> assertThat(servedLeaf()).isEqualTo(pairB.certificate()));
        assertThat(tls.certificateChain()).containsExactly(pairB.certificate());
    }

    @Test
    void garbageReplacementKeepsServingTheOldPairAndWarnsOnce() throws Exception {
        try (LogCapture log = new LogCapture(ReloadingKeyManager.class)) {
            Files.writeString(certFile, "renewal went wrong\n");
            TestCertificates.touch(certFile, nextMtime());

            // well past two checks: every handshake still gets A, and only the first check complains
            Instant until = Instant.now().plus(Duration.ofMillis(2_500));
            while (Instant.now().isBefore(until)) {
                assertThat(servedLeaf()).isEqualTo(pairA.certificate());
                Thread.sleep(100);
            }
            assertThat(tls.certificateChain()).containsExactly(pairA.certificate());
            assertThat(log.messages(Level.WARN)).singleElement().asString()
                .contains(certFile.toString(), "no PEM certificate");
        }

        // a good pair after a bad one is still picked up
        TestCertificates.replace(certFile, keyFile, pairB, nextMtime());
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100))
            .untilAsserted(() -> assertThat(servedLeaf()).isEqualTo(pairB.certificate()));
    }

    @Test
    void halfWrittenRenewalWaitsForTheKey() throws Exception {
        try (LogCapture log = new LogCapture(ReloadingKeyManager.class)) {
            // certbot-like: the new certificate lands first, its key a moment later
            TestCertificates.writeCertificates(certFile, pairB.certificate());
            TestCertificates.touch(certFile, nextMtime());
            // files are only looked at when a handshake starts
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> servedLeaf().equals(pairA.certificate()) && !log.messages(Level.WARN).isEmpty());
            assertThat(servedLeaf()).isEqualTo(pairA.certificate());
            assertThat(log.messages(Level.WARN)).singleElement().asString().contains("does not match");

            TestCertificates.writePkcs8(keyFile, pairB.privateKey());
            TestCertificates.touch(keyFile, nextMtime());
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(servedLeaf()).isEqualTo(pairB.certificate()));
            assertThat(log.messages(Level.WARN)).hasSize(1);
        }
    }

    private Instant nextMtime() {
        mtime = mtime.plusSeconds(10);
        return mtime;
    }

    private X509Certificate servedLeaf() throws Exception {
        X509Certificate leaf = TestTls.handshake(client, server.port(), HOST).leaf();
        assertThat(server.nextOutcome().failure()).isNull();
        return leaf;
    }
}

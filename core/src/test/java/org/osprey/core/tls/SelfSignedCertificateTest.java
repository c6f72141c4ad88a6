package org.osprey.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import ch.qos.logback.classic.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TlsContext#selfSigned}: made once, reused, made again when expired or for another hostname. */
class SelfSignedCertificateTest {

    @TempDir
    Path tmp;

    @Test
    void makesCertificateAndKeyInANewDirectory() throws Exception {
        Path dir = tmp.resolve("var/lib/osprey/tls");
        TlsContext tls;
        try (LogCapture log = new LogCapture(SelfSignedCertificate.class)) {
            tls = TlsContext.selfSigned(dir, "mx.example.test");

            X509Certificate cert = tls.certificateChain().getFirst();
            assertThat(log.messages(Level.INFO)).singleElement().asString()
                .contains("mx.example.test", SelfSignedCertificate.fingerprint(cert));
        }
        X509Certificate cert = tls.certificateChain().getFirst();
        assertThat(tls.certificateChain()).hasSize(1);
        assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(2, "mx.example.test"));
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=mx.example.test");
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        cert.verify(cert.getPublicKey()); // self-signed
        Instant threeYears = Instant.now().atOffset(ZoneOffset.UTC).plusYears(3).toInstant();
        assertThat(cert.getNotAfter().toInstant()).isBetween(threeYears.minus(Duration.ofMinutes(5)), threeYears);
        assertThat(cert.getNotBefore().toInstant()).isBefore(Instant.now());

        assertThat(Files.readString(dir.resolve("cert.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(dir.resolve("key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assumeThat(dir.getFileSystem().supportedFileAttributeViews()).contains("posix");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("key.pem"))))
            .isEqualTo("rw-------");
        assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void reusesTheFilesOnTheNextStart() throws Exception {
        TlsContext first = TlsContext.selfSigned(tmp, "mx.example.test");
        String certText = Files.readString(tmp.resolve("cert.pem"));
        String keyText = Files.readString(tmp.resolve("key.pem"));
        FileTime keyTime = Files.getLastModifiedTime(tmp.resolve("key.pem"));

        TlsContext second;
        try (LogCapture log = new LogCapture(SelfSignedCertificate.class)) {
            // case does not matter in hostnames
            second = TlsContext.selfSigned(tmp, "MX.Example.Test");
            assertThat(log.messages(Level.INFO)).isEmpty();
        }

        assertThat(second.certificateChain()).isEqualTo(first.certificateChain());
        assertThat(Files.readString(tmp.resolve("cert.pem"))).isEqualTo(certText);
        assertThat(Files.readString(tmp.resolve("key.pem"))).isEqualTo(keyText);
        assertThat(Files.getLastModifiedTime(tmp.resolve("key.pem"))).isEqualTo(keyTime);
    }

    @Test
    void makesANewOneForAnotherHostname() throws Exception {
        TlsContext old = TlsContext.selfSigned(tmp, "old.example.test");

        TlsContext renamed;
        try (LogCapture log = new LogCapture(SelfSignedCertificate.class)) {
            renamed = TlsContext.selfSigned(tmp, "new.example.test");
            assertThat(log.messages(Level.INFO)).singleElement().asString()
                .contains("new.example.test", "old.example.test");
        }

        X509Certificate cert = renamed.certificateChain().getFirst();
        assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(2, "new.example.test"));
        assertThat(cert.getPublicKey()).isNotEqualTo(old.certificateChain().getFirst().getPublicKey());
        // and the new one is what a client now sees
        try (TlsTestServer server = new TlsTestServer(renamed)) {
            TestTls.ClientView view = TestTls.handshake(TestTls.trusting(renamed.certificateChain()), server.port(),
                "new.example.test");
            assertThat(view.leaf()).isEqualTo(cert);
        }
    }

    @Test
    void makesANewOneWhenTheOldHasExpired() throws Exception {
        Instant now = Instant.now();
        TestCertificates.Issued expired = TestCertificates.selfSigned("RSA", "mx.example.test",
            now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)));
        TestCertificates.writeCertificates(tmp.resolve("cert.pem"), expired.certificate());
        TestCertificates.writePkcs8(tmp.resolve("key.pem"), expired.privateKey());

        TlsContext tls = TlsContext.selfSigned(tmp, "mx.example.test");

        X509Certificate cert = tls.certificateChain().getFirst();
        assertThat(cert).isNotEqualTo(expired.certificate());
        cert.checkValidity();
    }

    @Test
    void makesANewOneWhenTheKeyFileIsMissing() throws Exception {
        TlsContext first = TlsContext.selfSigned(tmp, "mx.example.test");
        Files.delete(tmp.resolve("key.pem"));

        TlsContext second = TlsContext.selfSigned(tmp, "mx.example.test");

        assertThat(second.certificateChain()).isNotEqualTo(first.certificateChain());
        assertThat(tmp.resolve("key.pem")).exists();
    }

    @Test
    void refusesAnEmptyHostname() {
        assertThatThrownBy(() -> TlsContext.selfSigned(tmp, " "))
            .isInstanceOf(TlsException.class)
            .hasMessageContaining("hostname");
    }

    @Test
    void directoryThatCannotBeMadeIsATlsExceptionNamingIt() throws Exception {
        Path blocker = Files.writeString(tmp.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> TlsContext.selfSigned(blocker.resolve("tls"), "mx.example.test"))
            .isInstanceOf(TlsException.class)
            .hasMessageContaining(blocker.resolve("tls").toString());
    }
}
